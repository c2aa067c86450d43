/**
 * The pipeline format of docs/formats.md (section Pipeline files) as JSON Schema (draft-07), as close as
 * JSON Schema gets, for yaml-language-server. What it cannot express are the
 * rules across the document: that `${{ steps.X.outputs.Y }}`, `params.X` and
 * `needs` name something that exists, cycles, output-path conflicts, unused
 * params, files on disk. Our server checks those too.
 */
const STEP_ID = '^[A-Za-z_][A-Za-z0-9_-]*$';
const DURATION = '^[0-9]+(\\.[0-9]+)?[smhd]$';
/** A string holding only well-formed `${{ }}` templates (no `${{` without its `}}`). */
const EXPR_STRING = { type: 'string', pattern: '^(?:[^$]|\\$(?!\\{\\{)|\\$\\{\\{[^}]*\\}\\})*$' };
const SCALAR = { type: ['string', 'number', 'boolean'] };

const paramSpec = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { enum: ['string', 'int', 'float', 'bool', 'path'], description: 'The parameter type.' },
    default: SCALAR,
    description: { type: 'string' },
    min: { type: 'number' },
    max: { type: 'number' },
    enum: { type: 'array', items: SCALAR, minItems: 1, uniqueItems: true },
  },
  // The default must fit the type; min/max only make sense for numbers.
  allOf: [
    { if: { properties: { type: { const: 'int' } }, required: ['type'] }, then: { properties: { default: { type: 'integer' } } } },
    { if: { properties: { type: { const: 'float' } }, required: ['type'] }, then: { properties: { default: { type: 'number' } } } },
    { if: { properties: { type: { const: 'bool' } }, required: ['type'] }, then: { properties: { default: { type: 'boolean' } } } },
    {
      if: { properties: { type: { enum: ['string', 'path'] } }, required: ['type'] },
      then: { properties: { default: { type: 'string' } }, not: { anyOf: [{ required: ['min'] }, { required: ['max'] }] } },
    },
  ],
};

const output = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['path'],
      properties: {
        path: { type: 'string', minLength: 1 },
        type: { enum: ['file', 'dir', 'metrics', 'model'], default: 'file' },
        description: { type: 'string' },
      },
    },
  ],
};

const step = {
  type: 'object',
  additionalProperties: false,
  required: ['run'],
  properties: {
    run: { ...EXPR_STRING, minLength: 1, description: 'The shell command.' },
    description: { type: 'string' },
    needs: {
      oneOf: [
        { type: 'string', pattern: STEP_ID },
        { type: 'array', items: { type: 'string', pattern: STEP_ID }, uniqueItems: true },
      ],
    },
    inputs: { oneOf: [EXPR_STRING, { type: 'array', items: EXPR_STRING }] },
    outputs: { type: 'object', propertyNames: { pattern: STEP_ID }, additionalProperties: output },
    env: { type: 'object', additionalProperties: { oneOf: [EXPR_STRING, { type: ['number', 'boolean'] }] } },
    workdir: { type: 'string' },
    cache: { type: 'boolean' },
    retries: { type: 'integer', minimum: 0 },
    timeout: { type: 'string', pattern: DURATION },
    image: { type: 'string' },
    resources: {
      type: 'object',
      additionalProperties: false,
      properties: { cpu: { type: ['string', 'number'] }, memory: { type: 'string' }, gpu: { type: ['integer', 'string'] } },
    },
  },
};

export const PIPELINE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mlops-workbench.invalid/bench/pipeline.schema.json',
  title: 'MLOps Workbench pipeline (benchmark schema)',
  type: 'object',
  additionalProperties: false,
  required: ['pipeline', 'steps'],
  properties: {
    pipeline: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,127}$' },
    description: { type: 'string' },
    experiment: { type: 'string' },
    image: { type: 'string' },
    params: {
      type: 'object',
      propertyNames: { pattern: STEP_ID },
      additionalProperties: { oneOf: [paramSpec, SCALAR] },
    },
    env: { type: 'object', additionalProperties: { oneOf: [EXPR_STRING, { type: ['number', 'boolean'] }] } },
    steps: { type: 'object', minProperties: 1, propertyNames: { pattern: STEP_ID }, additionalProperties: step },
    register: {
      type: 'object',
      additionalProperties: false,
      required: ['model', 'from'],
      properties: {
        model: { type: 'string', minLength: 1 },
        from: EXPR_STRING,
        when: EXPR_STRING,
        stage: { enum: ['None', 'Staging', 'Production', 'Archived'] },
        alias: { type: 'string' },
      },
    },
  },
};

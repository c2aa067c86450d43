/**
 * The one table of pipeline keys (docs/formats.md, section Pipeline files), in the shared
 * key-table form (../yaml/keyTable.ts). Completion, hover and the schema
 * checks all read it, so a key's documentation and its checks never drift
 * apart.
 */
import type { KeySpec } from '../yaml/keyTable';

/** Where a map sits in a pipeline file. */
export type PipelineContext = 'top' | 'param' | 'step' | 'output' | 'register' | 'resources';

export const PARAM_TYPES = ['string', 'int', 'float', 'bool', 'path'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];
export const OUTPUT_TYPES = ['file', 'dir', 'metrics', 'model'] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];
export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;

const TOP: readonly KeySpec[] = [
  {
    key: 'pipeline',
    shape: 'string',
    required: true,
    snippet: ' ${1:my-pipeline}',
    doc: "The pipeline's name: lower-case letters, digits, `-` and `_` (`^[a-z0-9][a-z0-9_-]{0,127}$`).",
  },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the pipeline does, shown in the Pipelines view and in hovers.' },
  { key: 'experiment', shape: 'string', snippet: ' ${1}', doc: 'The tracking experiment its runs go to. Default: the pipeline name.' },
  {
    key: 'image',
    shape: 'string',
    snippet: ' ${1:python:3.11-slim}',
    doc: 'Default container image of the steps in the Kubeflow/Argo export. Local runs ignore it.',
  },
  {
    key: 'params',
    shape: 'map',
    snippet: '\n  ${1:name}: { type: ${2|string,int,float,bool,path|}, default: ${3} }',
    doc: 'Parameters, overridable per run. Each is `{ type, default, min, max, enum, description }`, or a bare default whose type is inferred. Use them as `${{ params.NAME }}`.',
  },
  {
    key: 'env',
    shape: 'map',
    expr: 'value',
    snippet: '\n  ${1:NAME}: ${2:value}',
    doc: 'Environment variables for every step. Values may use `${{ }}`.',
  },
  {
    key: 'steps',
    shape: 'map',
    required: true,
    snippet: '\n  ${1:step}:\n    run: ${2:python step.py}',
    doc: 'The steps, by id (`^[A-Za-z_][A-Za-z0-9_-]*$`). Edges come from `needs` and from `${{ steps.X.outputs.Y }}` references.',
  },
  {
    key: 'register',
    shape: 'map',
    snippet: '\n  model: ${1:name}\n  from: \\${{ steps.${2:train}.outputs.${3:model} }}',
    doc: 'Registers a model version after a successful run, when the `when` gate passes.',
  },
];

const PARAM: readonly KeySpec[] = [
  {
    key: 'type',
    shape: 'string',
    values: PARAM_TYPES,
    valueName: 'type',
    snippet: ' ${1|string,int,float,bool,path|}',
    doc: "The parameter's type: `string`, `int`, `float`, `bool` or `path` (a workspace-relative path). Default: inferred from `default`, else `string`.",
  },
  {
    key: 'default',
    shape: 'scalar',
    snippet: ' ${1}',
    doc: 'The value used when a run does not override it. It must fit `type`, `enum`, `min` and `max`. Without a default, every run must give a value.',
  },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the parameter controls, shown in hovers and in the run dialog.' },
  { key: 'min', shape: 'number', snippet: ' ${1:0}', doc: 'The smallest value allowed (`int` and `float`).' },
  { key: 'max', shape: 'number', snippet: ' ${1:1}', doc: 'The largest value allowed (`int` and `float`).' },
  { key: 'enum', shape: 'list', scalarItems: true, snippet: ' [${1}]', doc: 'The only values allowed.' },
];

const STEP: readonly KeySpec[] = [
  {
    key: 'run',
    shape: 'string',
    required: true,
    expr: 'value',
    snippet: ' ${1:python script.py}',
    doc: 'The shell command, run in `workdir`. `${{ }}` values are shell-quoted when substituted.',
  },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the step does, shown in the graph and in hovers.' },
  {
    key: 'needs',
    shape: 'stringOrList',
    scalarItems: true,
    snippet: ' [${1}]',
    doc: 'Steps that must finish first. Data references (`${{ steps.X.outputs.Y }}`) add edges by themselves.',
  },
  {
    key: 'inputs',
    shape: 'stringOrList',
    scalarItems: true,
    expr: 'value',
    snippet: ' [${1}]',
    doc: 'Files or globs the step reads. Their contents key the cache.',
  },
  {
    key: 'outputs',
    shape: 'map',
    snippet: '\n  ${1:name}: ${2:path}',
    doc: 'What the step writes: `name: path`, or `name: { path, type, description }` with type `file`, `dir`, `metrics` or `model`. Use them as `${{ outputs.NAME }}` here and `${{ steps.ID.outputs.NAME }}` elsewhere.',
  },
  {
    key: 'env',
    shape: 'map',
    expr: 'value',
    snippet: '\n  ${1:NAME}: ${2:value}',
    doc: "Environment variables for this step, on top of the pipeline's `env`. Values may use `${{ }}`.",
  },
  {
    key: 'workdir',
    shape: 'string',
    snippet: ' ${1:.}',
    doc: "The folder the command runs in, relative to the pipeline file. Default: the pipeline file's folder.",
  },
  {
    key: 'cache',
    shape: 'bool',
    values: ['true', 'false'],
    snippet: ' ${1|true,false|}',
    doc: 'Skip the step when its cache key (resolved `run`, env, contents of `inputs`) matches an earlier success and its outputs still exist. Default: true where `inputs` is given.',
  },
  { key: 'retries', shape: 'int', minimum: 0, snippet: ' ${1:1}', doc: 'How many times a failed step is tried again (an integer ≥ 0).' },
  {
    key: 'timeout',
    shape: 'duration',
    snippet: ' ${1:30m}',
    doc: 'How long one attempt may run: a duration such as `90s`, `30m`, `2h` or `1d`.',
  },
  { key: 'image', shape: 'string', snippet: ' ${1}', doc: 'The container image in the Kubeflow/Argo export. Local runs ignore it.' },
  {
    key: 'resources',
    shape: 'map',
    snippet: '\n  cpu: ${1:1}\n  memory: ${2:2Gi}',
    doc: 'Requests in the Kubeflow/Argo export: `{ cpu, memory, gpu }`. Local runs ignore them.',
  },
];

const OUTPUT: readonly KeySpec[] = [
  { key: 'path', shape: 'string', required: true, snippet: ' ${1}', doc: 'Where the step writes it, relative to `workdir`.' },
  {
    key: 'type',
    shape: 'string',
    values: OUTPUT_TYPES,
    valueName: 'output type',
    snippet: ' ${1|file,dir,metrics,model|}',
    doc: '`file` (default), `dir`, `metrics` (a JSON object of name → number that becomes run metrics) or `model` (what `register.from` takes).',
  },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the output holds.' },
];

const REGISTER: readonly KeySpec[] = [
  {
    key: 'model',
    shape: 'string',
    required: true,
    snippet: ' ${1}',
    doc: "The registered model's name; a new version is created under it.",
  },
  {
    key: 'from',
    shape: 'string',
    required: true,
    expr: 'value',
    snippet: ' \\${{ steps.${1:train}.outputs.${2:model} }}',
    doc: 'The artifact to register, usually `${{ steps.train.outputs.model }}`.',
  },
  {
    key: 'when',
    shape: 'string',
    expr: 'condition',
    snippet: ' \\${{ metrics.${1:auc} >= ${2:0.9} }}',
    doc: "The gate: a condition over the run's `metrics.NAME` and `params.NAME`. Default: always.",
  },
  {
    key: 'stage',
    shape: 'string',
    values: STAGES,
    valueName: 'stage',
    snippet: ' ${1|None,Staging,Production,Archived|}',
    doc: 'The stage the new version moves to: `None`, `Staging`, `Production` or `Archived`.',
  },
  { key: 'alias', shape: 'string', snippet: ' ${1:candidate}', doc: 'An alias set on the new version (`models:/name@alias`).' },
];

const RESOURCES: readonly KeySpec[] = [
  { key: 'cpu', shape: 'stringOrNumber', snippet: ' ${1:1}', doc: 'CPU request, as Kubernetes writes it (`1`, `500m`).' },
  { key: 'memory', shape: 'stringOrNumber', snippet: ' ${1:2Gi}', doc: 'Memory request, as Kubernetes writes it (`512Mi`, `2Gi`).' },
  { key: 'cpu_limit', shape: 'stringOrNumber', snippet: ' ${1:2}', doc: 'CPU limit, as Kubernetes writes it (`2`, `1500m`).' },
  { key: 'memory_limit', shape: 'stringOrNumber', snippet: ' ${1:4Gi}', doc: 'Memory limit, as Kubernetes writes it (`1Gi`, `4Gi`).' },
  { key: 'gpu', shape: 'int', minimum: 0, snippet: ' ${1:1}', doc: 'Number of GPUs.' },
];

export const PIPELINE_KEYS: Readonly<Record<PipelineContext, readonly KeySpec[]>> = {
  top: TOP,
  param: PARAM,
  step: STEP,
  output: OUTPUT,
  register: REGISTER,
  resources: RESOURCES,
};

/**
 * Spellings from Kubeflow's ContainerOp, Argo and CI systems that users type
 * by habit, with the key that replaces them.
 */
export const LEGACY_PIPELINE_KEYS: Readonly<Partial<Record<PipelineContext, Readonly<Record<string, string>>>>> = {
  top: { name: 'pipeline', parameters: 'params', arguments: 'params', environment: 'env', tasks: 'steps', jobs: 'steps' },
  step: {
    command: 'run',
    script: 'run',
    cmd: 'run',
    arguments: 'run',
    depends_on: 'needs',
    dependencies: 'needs',
    dependsOn: 'needs',
    after: 'needs',
    file_outputs: 'outputs',
    artifacts: 'outputs',
    environment: 'env',
    working_dir: 'workdir',
    working_directory: 'workdir',
    retry: 'retries',
    timeout_minutes: 'timeout',
  },
  register: { name: 'model', stages: 'stage' },
};

export function keySpec(context: PipelineContext, key: string): KeySpec | undefined {
  return PIPELINE_KEYS[context].find((k) => k.key === key);
}

/** Step ids and param and output names (docs/formats.md, section Pipeline files: `^[A-Za-z_][A-Za-z0-9_-]*$`). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

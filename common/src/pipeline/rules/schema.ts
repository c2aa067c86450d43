import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { memoizedWithOffsets, MemoSlot } from '../../document/pairMemo';
import { checkKeys, type KeyDialect } from '../../yaml/checkKeys';
import { describeValue, keySpan, Report, valueSpan } from '../../yaml/report';
import { keyOf, scalarText } from '../model';
import { pipelineNameProblem } from '../names';
import { IDENTIFIER, LEGACY_PIPELINE_KEYS, PIPELINE_KEYS, type PipelineContext } from '../schema';

/**
 * `unknown-key`, `missing-key`, `type-mismatch`, `invalid-name` and
 * `invalid-duration`, driven by the key table in ../schema.ts.
 */
export function pipelineSchemaRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const report = new Report();
  const root = doc.yaml.contents;
  // An empty file is a file being started: completion offers the keys, no error yet.
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) return report.diagnostics;
  if (!isMap(root)) {
    report.add(
      'type-mismatch',
      valueSpan(root),
      `a pipeline file is a map of keys such as \`pipeline:\` and \`steps:\`, not ${describeValue(root)}`,
    );
    return report.diagnostics;
  }
  new SchemaChecker(report, doc).top(root);
  return report.diagnostics;
}

/** The pipeline's wording of the shared key checks. */
const PIPELINE_DIALECT: KeyDialect = {
  emptyLead: '',
  boolWords: /^(yes|no|on|off|True|False|TRUE|FALSE)$/,
  preferDurationFix: false,
  addKey: 'line',
};

const STEP_SCHEMA = new MemoSlot<{ keyStart: number; value: MlopsDiagnostic[] }>();

/** A step's schema problems depend on its own text only: checked once per Pair (see document/pairMemo.ts). */
function stepSchemaProblems(pair: Pair, doc: ParsedDocument): MlopsDiagnostic[] {
  return memoizedWithOffsets(pair, STEP_SCHEMA, () => {
    const report = new Report();
    new SchemaChecker(report, doc).step(pair);
    return report.diagnostics;
  });
}

class SchemaChecker {
  constructor(
    private readonly report: Report,
    private readonly doc: ParsedDocument,
  ) {}

  top(root: YAMLMap): void {
    this.keys(root, 'top', firstKeySpan(root), 'the pipeline file');
    const name = root.get('pipeline', true) as Node | undefined;
    const text = scalarText(name);
    if (isScalar(name) && text !== undefined) {
      const problem = pipelineNameProblem(text);
      if (problem) this.report.add('invalid-name', valueSpan(name), `invalid pipeline name \`${text}\`: ${problem}`);
    }
    const params = root.get('params', true);
    if (isMap(params)) for (const pair of params.items) this.param(pair);
    this.env(root.get('env', true));
    const steps = root.get('steps', true);
    const stepsPair = root.items.find((p) => scalarText(p.key) === 'steps');
    if (isMap(steps)) {
      if (steps.items.length === 0)
        this.report.add(
          'missing-key',
          keySpan(stepsPair),
          '`steps` has no steps; add at least one, e.g. `train: { run: python train.py }`',
        );
      for (const pair of steps.items) this.report.diagnostics.push(...stepSchemaProblems(pair, this.doc));
    } else if (stepsPair && (steps === null || steps === undefined || (isScalar(steps) && steps.value === null))) {
      this.report.add('missing-key', keySpan(stepsPair), '`steps` has no steps; add at least one, e.g. `train: { run: python train.py }`');
    }
    const register = root.items.find((p) => scalarText(p.key) === 'register');
    if (register && isMap(register.value)) {
      this.keys(register.value, 'register', keySpan(register), '`register`');
      const alias = register.value.get('alias', true) as Node | undefined;
      const aliasText = scalarText(alias);
      if (aliasText !== undefined && (!/^[\w-]+$/.test(aliasText) || /^(latest|v\d+)$/i.test(aliasText))) {
        this.report.add(
          'invalid-name',
          valueSpan(alias),
          `invalid alias \`${aliasText}\`: use letters, digits, \`_\` and \`-\`; \`latest\` and \`v<number>\` are reserved`,
        );
      }
    }
  }

  private param(pair: Pair): void {
    const key = keyOf(pair);
    if (!key) return;
    this.identifier(key, 'param name');
    if (isMap(pair.value)) this.keys(pair.value, 'param', key, `param \`${key.name}\``);
    else if (isSeq(pair.value))
      this.report.add(
        'type-mismatch',
        valueSpan(pair.value as Node, pair),
        `param \`${key.name}\` is a list; write \`{ type, default }\` or a bare default value`,
      );
  }

  step(pair: Pair): void {
    const key = keyOf(pair);
    if (!key) return;
    this.identifier(key, 'step id');
    const body = pair.value as Node | null;
    if (!isMap(body)) {
      this.report.add(
        'type-mismatch',
        body && !(isScalar(body) && body.value === null) ? valueSpan(body, pair) : key,
        `step \`${key.name}\` must be a map with at least \`run:\`, not ${describeValue(body)}`,
      );
      return;
    }
    this.keys(body, 'step', key, `step \`${key.name}\``);
    const outputs = body.get('outputs', true);
    if (isMap(outputs)) {
      for (const output of outputs.items) {
        const outputKey = keyOf(output);
        if (!outputKey) continue;
        this.identifier(outputKey, 'output name');
        const value = output.value as Node | null;
        if (isMap(value)) this.keys(value, 'output', outputKey, `output \`${outputKey.name}\``);
        else if (!isScalar(value) || typeof value.value !== 'string') {
          this.report.add(
            'type-mismatch',
            value ? valueSpan(value, output) : outputKey,
            `output \`${outputKey.name}\` needs a path (a string) or \`{ path, type }\`, not ${describeValue(value)}`,
          );
        }
      }
    }
    this.env(body.get('env', true));
    const resources = body.items.find((p) => scalarText(p.key) === 'resources');
    if (resources && isMap(resources.value)) this.keys(resources.value, 'resources', keySpan(resources), '`resources`');
  }

  private env(node: unknown): void {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const value = pair.value as Node | null;
      if (value && !isScalar(value)) {
        this.report.add(
          'type-mismatch',
          valueSpan(value, pair),
          `environment variable \`${scalarText(pair.key) ?? ''}\` needs a string value, not ${describeValue(value)}`,
        );
      }
    }
  }

  private identifier(key: { name: string; start: number; end: number }, what: string): void {
    if (!IDENTIFIER.test(key.name)) {
      this.report.add(
        'invalid-name',
        key,
        `invalid ${what} \`${key.name}\`: start with a letter or \`_\`, then letters, digits, \`_\` or \`-\``,
      );
    }
  }

  /** Checks the keys of one map against its context's table (the shared engine, ../../yaml/checkKeys.ts). */
  private keys(map: YAMLMap, context: PipelineContext, owner: { start: number; end: number }, ownerName: string): void {
    checkKeys(this.report, map, PIPELINE_KEYS[context], owner, ownerName, {
      dialect: PIPELINE_DIALECT,
      text: this.doc.text,
      ...(LEGACY_PIPELINE_KEYS[context] ? { habits: LEGACY_PIPELINE_KEYS[context] } : {}),
      ...(context === 'top' ? { alternatives: { pipeline: 'name' } } : {}),
    });
  }
}

function firstKeySpan(map: YAMLMap): { start: number; end: number } {
  const first = map.items[0];
  return first ? keySpan(first) : { start: map.range?.[0] ?? 0, end: map.range?.[0] ?? 0 };
}

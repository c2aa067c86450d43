import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Fix, MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { memoizedWithOffsets, MemoSlot } from '../../document/pairMemo';
import { didYouMean, listOf, suggestions } from '../../text/suggest';
import { keyOf, scalarText } from '../model';
import { pipelineNameProblem } from '../names';
import { IDENTIFIER, LEGACY_PIPELINE_KEYS, parseDuration, PIPELINE_KEYS, type KeySpec, type PipelineContext } from '../schema';
import { describeValue, keySpan, replaceFix, Report, valueSpan } from './report';

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

  /** Checks the keys of one map against its context's table. */
  private keys(map: YAMLMap, context: PipelineContext, owner: { start: number; end: number }, ownerName: string): void {
    const specs = PIPELINE_KEYS[context];
    const present = new Set<string>();
    for (const pair of map.items) {
      const key = keyOf(pair);
      if (!key) continue;
      present.add(key.name);
      const spec = specs.find((s) => s.key === key.name);
      if (spec) this.value(spec, pair, context);
      else this.unknownKey(key, context, ownerName);
    }
    for (const spec of specs) {
      if (spec.required && !present.has(spec.key) && !(spec.key === 'pipeline' && present.has('name'))) {
        this.report.add('missing-key', owner, `${ownerName} is missing the required key \`${spec.key}\``, {
          fixes: [insertKeyFix(this.doc, map, spec)].filter((f) => f !== undefined),
        });
      }
    }
  }

  private unknownKey(key: { name: string; start: number; end: number }, context: PipelineContext, ownerName: string): void {
    const allowed = PIPELINE_KEYS[context].map((s) => s.key);
    const legacy = LEGACY_PIPELINE_KEYS[context]?.[key.name];
    if (legacy) {
      this.report.add('unknown-key', key, `\`${key.name}\` is not a key of ${ownerName}; use \`${legacy}\``, {
        fixes: [replaceFix(`Replace \`${key.name}\` with \`${legacy}\``, key, legacy, true)],
      });
      return;
    }
    const close = suggestions(key.name, allowed);
    const message =
      close.length > 0
        ? `unknown key \`${key.name}\` in ${ownerName}${didYouMean(key.name, allowed)}`
        : `unknown key \`${key.name}\` in ${ownerName}; allowed: ${listOf(allowed)}`;
    this.report.add('unknown-key', key, message, {
      fixes: close.map((name, i) => replaceFix(`Change to \`${name}\``, key, name, i === 0)),
    });
  }

  private value(spec: KeySpec, pair: Pair, context: PipelineContext): void {
    const node = pair.value as Node | null;
    const span = valueSpan(node, pair);
    const isEmpty = !node || (isScalar(node) && (node.value === null || node.value === undefined));
    const where = `\`${spec.key}\``;
    if (isEmpty) {
      // An empty `params:`, `env:` or `needs:` is harmless; an empty value of a scalar key is not.
      if (spec.shape !== 'map' && spec.shape !== 'list' && spec.shape !== 'stringOrList') {
        this.report.add('type-mismatch', keySpan(pair), `${where} has no value; ${expected(spec)}`);
      }
      return;
    }
    const scalar = isScalar(node) ? node.value : undefined;
    const mismatch = () => this.report.add('type-mismatch', span, `${where} must be ${expected(spec)}, not ${describeValue(node)}`);
    switch (spec.shape) {
      case 'map':
        if (!isMap(node)) mismatch();
        return;
      case 'list':
        if (!isSeq(node)) mismatch();
        else this.scalarItems(node.items, spec.key);
        return;
      case 'stringOrList':
        if (isSeq(node)) this.scalarItems(node.items, spec.key);
        else if (!isScalar(node)) mismatch();
        return;
      case 'bool':
        if (typeof scalar !== 'boolean') {
          const fix =
            typeof scalar === 'string' && /^(yes|no|on|off|True|False|TRUE|FALSE)$/.test(scalar)
              ? [
                  replaceFix(
                    `Change to \`${/^(yes|on|true)$/i.test(scalar) ? 'true' : 'false'}\``,
                    span,
                    /^(yes|on|true)$/i.test(scalar) ? 'true' : 'false',
                    true,
                  ),
                ]
              : [];
          this.report.add('type-mismatch', span, `${where} must be \`true\` or \`false\`, not ${describeValue(node)}`, { fixes: fix });
        }
        return;
      case 'int':
      case 'number':
        if (typeof scalar !== 'number' || (spec.shape === 'int' && !Number.isInteger(scalar))) mismatch();
        else if (spec.minimum !== undefined && scalar < spec.minimum)
          this.report.add('type-mismatch', span, `${where} must be at least ${spec.minimum}`);
        return;
      case 'duration':
        if (typeof scalar === 'number') {
          this.report.add(
            'invalid-duration',
            span,
            `${where} needs a unit: \`${scalar}s\`, \`${scalar}m\`, \`${scalar}h\` or \`${scalar}d\``,
            { fixes: [replaceFix(`Change to \`${scalar}s\``, span, `${scalar}s`)] },
          );
        } else if (typeof scalar !== 'string' || parseDuration(scalar) === undefined || parseDuration(scalar) === 0) {
          this.report.add(
            'invalid-duration',
            span,
            `\`${typeof scalar === 'string' ? scalar : describeValue(node)}\` is not a duration; write a number and a unit, such as \`90s\`, \`30m\`, \`2h\` or \`1d\``,
          );
        }
        return;
      case 'stringOrNumber':
      case 'scalar':
      case 'string':
        if (!isScalar(node)) return mismatch();
        if (spec.values && !spec.values.includes(String(scalar))) {
          const close = suggestions(String(scalar), spec.values);
          this.report.add(
            'type-mismatch',
            span,
            `\`${String(scalar)}\` is not a valid ${context === 'register' ? 'stage' : context === 'output' ? 'output type' : 'type'}${didYouMean(String(scalar), spec.values) || `; use ${listOf(spec.values)}`}`,
            {
              fixes: close.map((v, i) => replaceFix(`Change to \`${v}\``, span, v, i === 0)),
            },
          );
        }
        return;
    }
  }

  private scalarItems(items: readonly unknown[], key: string): void {
    for (const item of items) {
      if (!isScalar(item))
        this.report.add(
          'type-mismatch',
          valueSpan(item as Node),
          `each entry of \`${key}\` must be a string, not ${describeValue(item as Node)}`,
        );
    }
  }
}

function expected(spec: KeySpec): string {
  switch (spec.shape) {
    case 'map':
      return 'a map';
    case 'list':
      return 'a list';
    case 'stringOrList':
      return 'a list of strings';
    case 'bool':
      return '`true` or `false`';
    case 'int':
      return spec.minimum !== undefined ? `a whole number ≥ ${spec.minimum}` : 'a whole number';
    case 'number':
      return 'a number';
    case 'duration':
      return 'a duration such as `30m`';
    case 'stringOrNumber':
      return 'a string or a number';
    case 'scalar':
      return 'a value';
    case 'string':
      return spec.values ? `one of ${listOf(spec.values)}` : 'a string';
  }
}

function firstKeySpan(map: YAMLMap): { start: number; end: number } {
  const first = map.items[0];
  return first ? keySpan(first) : { start: map.range?.[0] ?? 0, end: map.range?.[0] ?? 0 };
}

/** Inserts `key: ` after the map's last line, at the indentation of its first key (block maps only). */
function insertKeyFix(doc: ParsedDocument, map: YAMLMap, spec: KeySpec): Fix | undefined {
  const first = map.items[0]?.key as Node | null | undefined;
  if (map.flow || !first?.range || !map.range) return undefined;
  const text = doc.text;
  const indent = ' '.repeat(text.positionAt(first.range[0]).character);
  const lastLine = text.positionAt(Math.max(map.range[0], map.range[1] - 1)).line;
  const at = text.offsetAt({ line: lastLine + 1, character: 0 });
  const atEnd = at >= text.getText().length && !text.getText().endsWith('\n');
  return { title: `Add \`${spec.key}\``, edits: [{ start: at, end: at, newText: `${atEnd ? '\n' : ''}${indent}${spec.key}: \n` }] };
}

import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix } from '../diagnostics';
import type { Span } from '../expressions/ast';
import { didYouMean, listOf, suggestions } from '../text/suggest';
import { parseDuration, type KeySpec } from './keyTable';
import { keyOf } from './nodes';
import { describeValue, keySpan, replaceFix, type Report, valueSpan } from './report';

/**
 * How a format words and fixes what the key checks find. The pipeline's
 * wording predates the features and monitor formats; the two are kept as
 * they were when the checks were merged.
 */
export interface KeyDialect {
  /** Before the expected shape in "`key` has no value; ...". */
  readonly emptyLead: string;
  /** String values of a `bool` key that get a `true`/`false` fix. */
  readonly boolWords: RegExp;
  /** The `30` -> `30s` fix is the preferred one. */
  readonly preferDurationFix: boolean;
  /** The `missing-key` fix: a new line in a block map (`line`), or `, key: ` in a flow map (`flow`). */
  readonly addKey: 'line' | 'flow';
}

/** The features and monitor formats' wording. */
const FORMAT_DIALECT: KeyDialect = {
  emptyLead: 'write ',
  boolWords: /^(yes|no|on|off|true|false)$/i,
  preferDurationFix: true,
  addKey: 'flow',
};

interface KeyCheckOptions {
  readonly dialect?: KeyDialect;
  /** The document's text; needed by the `line` dialect's `missing-key` fix. */
  readonly text?: TextDocument;
  /** Older spellings still read as the key they stand for, with a `deprecated-key` hint and a fix: old -> new. */
  readonly deprecated?: Readonly<Record<string, string>>;
  /** Where the `deprecated` spellings come from, in the hint: "Feast's older spelling". */
  readonly deprecatedOrigin?: string;
  /** Other tools' spellings typed by habit: an `unknown-key` whose fix is the key that replaces them (old -> new). */
  readonly habits?: Readonly<Record<string, string>>;
  /** Required keys that another present key stands in for: required -> alternative. */
  readonly alternatives?: Readonly<Record<string, string>>;
}

/**
 * `unknown-key`, `missing-key`, `type-mismatch`, `invalid-duration` and
 * `deprecated-key` for one map against its key table. Values of shape
 * `dtype`, `ref` and `custom` are left to the format's own rules.
 */
export function checkKeys(
  report: Report,
  map: YAMLMap,
  table: readonly KeySpec[],
  owner: Span,
  ownerName: string,
  options: KeyCheckOptions = {},
): void {
  const dialect = options.dialect ?? FORMAT_DIALECT;
  const present = new Set<string>();
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (!key) continue;
    present.add(key.name);
    const spec = table.find((s) => s.key === key.name);
    if (spec) {
      checkValue(report, spec, pair, dialect);
      continue;
    }
    const modern = options.deprecated?.[key.name];
    const habit = options.habits?.[key.name];
    if (modern !== undefined) {
      report.add('deprecated-key', key, `\`${key.name}\` is ${options.deprecatedOrigin ?? 'an older spelling'}; use \`${modern}\``, {
        severity: 'hint',
        fixes: [replaceFix(`Replace \`${key.name}\` with \`${modern}\``, key, modern, true)],
      });
    } else if (habit !== undefined) {
      report.add('unknown-key', key, `\`${key.name}\` is not a key of ${ownerName}; use \`${habit}\``, {
        fixes: [replaceFix(`Replace \`${key.name}\` with \`${habit}\``, key, habit, true)],
      });
    } else {
      const allowed = table.map((s) => s.key);
      const close = suggestions(key.name, allowed);
      report.add(
        'unknown-key',
        key,
        close.length > 0
          ? `unknown key \`${key.name}\` in ${ownerName}${didYouMean(key.name, allowed)}`
          : `unknown key \`${key.name}\` in ${ownerName}; allowed: ${listOf(allowed)}`,
        {
          fixes: close.map((name, i) => replaceFix(`Change to \`${name}\``, key, name, i === 0)),
        },
      );
    }
  }
  for (const spec of table) {
    if (!spec.required || present.has(spec.key)) continue;
    const alternative = options.alternatives?.[spec.key];
    if (alternative !== undefined && present.has(alternative)) continue;
    const fix = dialect.addKey === 'flow' ? flowKeyFix(map, spec.key) : options.text && lineKeyFix(options.text, map, spec.key);
    report.add('missing-key', owner, `${ownerName} is missing the required key \`${spec.key}\``, { fixes: fix ? [fix] : [] });
  }
}

/** In a flow map: `, key: ` before the `}`. */
function flowKeyFix(map: YAMLMap, key: string): Fix | undefined {
  const range = map.range;
  const first = map.items[0]?.key as Node | null | undefined;
  if (!map.flow || !range || !first?.range) return undefined;
  const at = Math.max(range[0], range[1] - 1);
  return { title: `Add \`${key}\``, edits: [{ start: at, end: at, newText: `, ${key}: ` }] };
}

/** In a block map: `key: ` on a new line after the map's last line, at the indentation of its first key. */
function lineKeyFix(text: TextDocument, map: YAMLMap, key: string): Fix | undefined {
  const first = map.items[0]?.key as Node | null | undefined;
  if (map.flow || !first?.range || !map.range) return undefined;
  const indent = ' '.repeat(text.positionAt(first.range[0]).character);
  const lastLine = text.positionAt(Math.max(map.range[0], map.range[1] - 1)).line;
  const at = text.offsetAt({ line: lastLine + 1, character: 0 });
  const atEnd = at >= text.getText().length && !text.getText().endsWith('\n');
  return { title: `Add \`${key}\``, edits: [{ start: at, end: at, newText: `${atEnd ? '\n' : ''}${indent}${key}: \n` }] };
}

function checkValue(report: Report, spec: KeySpec, pair: Pair, dialect: KeyDialect = FORMAT_DIALECT): void {
  if (spec.shape === 'custom' || spec.shape === 'ref' || spec.shape === 'dtype') return;
  const node = pair.value as Node | null;
  const span = valueSpan(node, pair);
  const where = `\`${spec.key}\``;
  if (!node || (isScalar(node) && (node.value === null || node.value === undefined))) {
    // An empty `params:`, `env:` or `needs:` is harmless; an empty value of a scalar key is not.
    if (spec.shape !== 'map' && spec.shape !== 'list' && spec.shape !== 'stringOrList')
      report.add('type-mismatch', keySpan(pair), `${where} has no value; ${dialect.emptyLead}${expected(spec)}`);
    return;
  }
  const scalar = isScalar(node) ? node.value : undefined;
  const mismatch = () => report.add('type-mismatch', span, `${where} must be ${expected(spec)}, not ${describeValue(node)}`);
  switch (spec.shape) {
    case 'map':
      if (!isMap(node)) mismatch();
      return;
    case 'list':
      if (!isSeq(node)) mismatch();
      else if (spec.scalarItems) scalarItems(report, node.items, spec.key);
      return;
    case 'stringOrList':
      if (isSeq(node)) {
        if (spec.scalarItems) scalarItems(report, node.items, spec.key);
      } else if (!isScalar(node)) mismatch();
      return;
    case 'bool':
      if (typeof scalar !== 'boolean') {
        const word = typeof scalar === 'string' && dialect.boolWords.test(scalar) ? /^(yes|on|true)$/i.test(scalar) : undefined;
        const fixes = word === undefined ? [] : [replaceFix(`Change to \`${word}\``, span, String(word), true)];
        report.add('type-mismatch', span, `${where} must be \`true\` or \`false\`, not ${describeValue(node)}`, { fixes });
      }
      return;
    case 'int':
    case 'number':
    case 'fraction':
      if (typeof scalar !== 'number' || (spec.shape === 'int' && !Number.isInteger(scalar))) mismatch();
      else if (spec.shape === 'fraction' && (scalar < 0 || scalar > 1))
        report.add('type-mismatch', span, `${where} must be between 0 and 1, not ${scalar}`);
      else if (spec.minimum !== undefined && scalar < spec.minimum)
        report.add('type-mismatch', span, `${where} must be at least ${spec.minimum}`);
      return;
    case 'duration':
      checkDuration(report, node, span, where, spec.zero === true, dialect.preferDurationFix);
      return;
    case 'string':
    case 'scalar':
    case 'stringOrNumber':
      if (!isScalar(node) || typeof scalar === 'object') return mismatch();
      if (spec.values && !spec.values.includes(String(scalar))) {
        const close = suggestions(String(scalar), spec.values);
        report.add(
          'type-mismatch',
          span,
          `\`${String(scalar)}\` is not a valid ${spec.valueName ?? where}${didYouMean(String(scalar), spec.values) || `; use ${listOf(spec.values)}`}`,
          { fixes: close.map((v, i) => replaceFix(`Change to \`${v}\``, span, v, i === 0)) },
        );
      }
      return;
  }
}

function scalarItems(report: Report, items: readonly unknown[], key: string): void {
  for (const item of items) {
    if (!isScalar(item))
      report.add('type-mismatch', valueSpan(item as Node), `each entry of \`${key}\` must be a string, not ${describeValue(item as Node)}`);
  }
}

/** A duration (`30m`); `0` (number or text) means "forever" and is allowed where `zero` is. */
function checkDuration(report: Report, node: Node | null, span: Span, where: string, zero: boolean, preferFix: boolean): void {
  const scalar = isScalar(node) ? node.value : undefined;
  if (zero && (scalar === 0 || scalar === '0')) return;
  if (typeof scalar === 'number') {
    report.add('invalid-duration', span, `${where} needs a unit: \`${scalar}s\`, \`${scalar}m\`, \`${scalar}h\` or \`${scalar}d\``, {
      fixes: [replaceFix(`Change to \`${scalar}s\``, span, `${scalar}s`, preferFix)],
    });
  } else if (typeof scalar !== 'string' || parseDuration(scalar) === undefined || (!zero && parseDuration(scalar) === 0)) {
    report.add(
      'invalid-duration',
      span,
      `\`${typeof scalar === 'string' ? scalar : describeValue(node)}\` is not a duration; write a number and a unit, such as \`90s\`, \`30m\`, \`2h\` or \`1d\``,
    );
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
    case 'fraction':
      return 'a number between 0 and 1';
    case 'duration':
      return 'a duration such as `30m`';
    case 'stringOrNumber':
      return 'a string or a number';
    case 'string':
      return spec.values ? `one of ${listOf(spec.values)}` : 'a string';
    default:
      return 'a value';
  }
}

import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Fix } from '../diagnostics';
import type { Span } from '../expressions/ast';
import { keyOf } from '../pipeline/nodes';
import { describeValue, keySpan, replaceFix, type Report, valueSpan } from '../pipeline/rules/report';
import { parseDuration } from '../pipeline/schema';
import { didYouMean, listOf, suggestions } from '../text/suggest';
import type { FormatKey } from './keyTable';

export interface KeyCheckOptions {
  /** Keys of another spelling, accepted with a `deprecated-key` hint and a fix: old -> new. */
  readonly legacy?: Readonly<Record<string, string>>;
  /** Required keys that another present key stands in for: required -> alternative. */
  readonly alternatives?: Readonly<Record<string, string>>;
}

/**
 * `unknown-key`, `missing-key`, `type-mismatch` and `invalid-duration` for
 * one map against its key table. Values of shape `dtype`, `ref` and `custom`
 * are left to the format's own rules.
 */
export function checkKeys(
  report: Report,
  map: YAMLMap,
  table: readonly FormatKey[],
  owner: Span,
  ownerName: string,
  options: KeyCheckOptions = {},
): void {
  const present = new Set<string>();
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (!key) continue;
    present.add(key.name);
    const spec = table.find((s) => s.key === key.name);
    const modern = options.legacy?.[key.name];
    if (spec) checkValue(report, spec, pair);
    else if (modern !== undefined) {
      report.add('deprecated-key', key, `\`${key.name}\` is the seed's spelling; use \`${modern}\``, {
        severity: 'hint',
        fixes: [replaceFix(`Replace \`${key.name}\` with \`${modern}\``, key, modern, true)],
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
    report.add('missing-key', owner, `${ownerName} is missing the required key \`${spec.key}\``, { fixes: addKeyFix(map, spec.key) });
  }
}

/** In a flow map: `, key: ` before the `}`; in a block map: a line after the last key. */
function addKeyFix(map: YAMLMap, key: string): Fix[] {
  const range = map.range;
  const first = map.items[0]?.key as Node | null | undefined;
  if (!range || !first?.range) return [];
  if (map.flow) {
    const at = Math.max(range[0], range[1] - 1);
    return [{ title: `Add \`${key}\``, edits: [{ start: at, end: at, newText: `, ${key}: ` }] }];
  }
  return [];
}

export function checkValue(report: Report, spec: FormatKey, pair: Pair): void {
  const node = pair.value as Node | null;
  const span = valueSpan(node, pair);
  const where = `\`${spec.key}\``;
  const empty = !node || (isScalar(node) && (node.value === null || node.value === undefined));
  if (spec.shape === 'custom' || spec.shape === 'ref' || spec.shape === 'dtype') return;
  if (empty) {
    if (spec.shape !== 'map' && spec.shape !== 'list')
      report.add('type-mismatch', keySpan(pair), `${where} has no value; write ${expected(spec)}`);
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
      return;
    case 'bool':
      if (typeof scalar !== 'boolean') {
        const word = typeof scalar === 'string' ? scalar : '';
        const fix =
          /^(yes|no|on|off)$/i.test(word) || /^(true|false)$/i.test(word)
            ? [replaceFix(`Change to \`${/^(yes|on|true)$/i.test(word)}\``, span, String(/^(yes|on|true)$/i.test(word)), true)]
            : [];
        report.add('type-mismatch', span, `${where} must be \`true\` or \`false\`, not ${describeValue(node)}`, { fixes: fix });
      }
      return;
    case 'number':
    case 'fraction':
      if (typeof scalar !== 'number') mismatch();
      else if (spec.shape === 'fraction' && (scalar < 0 || scalar > 1))
        report.add('type-mismatch', span, `${where} must be between 0 and 1, not ${scalar}`);
      else if (spec.minimum !== undefined && scalar < spec.minimum)
        report.add('type-mismatch', span, `${where} must be at least ${spec.minimum}`);
      return;
    case 'duration':
      checkDuration(report, node, span, where);
      return;
    case 'string':
      if (!isScalar(node) || typeof scalar === 'object') return mismatch();
      if (spec.values && !spec.values.includes(String(scalar))) {
        const close = suggestions(String(scalar), spec.values);
        report.add(
          'type-mismatch',
          span,
          `\`${String(scalar)}\` is not a valid ${where}${didYouMean(String(scalar), spec.values) || `; use ${listOf(spec.values)}`}`,
          {
            fixes: close.map((v, i) => replaceFix(`Change to \`${v}\``, span, v, i === 0)),
          },
        );
      }
      return;
  }
}

/** A duration (`30m`); `0` (number or text) means "forever" and is allowed where `zero` is. */
export function checkDuration(report: Report, node: Node | null, span: Span, where: string, zero = true): void {
  const scalar = isScalar(node) ? node.value : undefined;
  if (zero && (scalar === 0 || scalar === '0')) return;
  if (typeof scalar === 'number') {
    report.add('invalid-duration', span, `${where} needs a unit: \`${scalar}s\`, \`${scalar}m\`, \`${scalar}h\` or \`${scalar}d\``, {
      fixes: [replaceFix(`Change to \`${scalar}s\``, span, `${scalar}s`, true)],
    });
  } else if (typeof scalar !== 'string' || parseDuration(scalar) === undefined || (!zero && parseDuration(scalar) === 0)) {
    report.add(
      'invalid-duration',
      span,
      `\`${typeof scalar === 'string' ? scalar : describeValue(node)}\` is not a duration; write a number and a unit, such as \`90s\`, \`30m\`, \`2h\` or \`1d\``,
    );
  }
}

function expected(spec: FormatKey): string {
  switch (spec.shape) {
    case 'map':
      return 'a map';
    case 'list':
      return 'a list';
    case 'bool':
      return '`true` or `false`';
    case 'number':
      return 'a number';
    case 'fraction':
      return 'a number between 0 and 1';
    case 'duration':
      return 'a duration such as `30m`';
    case 'string':
      return spec.values ? `one of ${listOf(spec.values)}` : 'a string';
    default:
      return 'a value';
  }
}

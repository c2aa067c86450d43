import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { checkKeys } from '../../yaml/checkKeys';
import { keyOf, scalarText } from '../../yaml/nodes';
import { describeValue, keySpan, replaceFix, Report, valueSpan } from '../../yaml/report';
import { didYouMean, listOf, suggestions } from '../../text/suggest';
import { DRIFT_METHODS, MONITOR_KEYS, type MonitorContext } from '../schema';

/** The monitor file's own shape: `unknown-key`, `missing-key`, `type-mismatch`, `invalid-duration`, `unknown-method`. */
export function monitorSchemaRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const report = new Report();
  const root = doc.yaml.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) return report.diagnostics;
  if (!isMap(root)) {
    report.add(
      'type-mismatch',
      valueSpan(root),
      `a monitor file is a map of keys such as \`monitor:\` and \`reference:\`, not ${describeValue(root)}`,
    );
    return report.diagnostics;
  }
  checkKeys(report, root, MONITOR_KEYS.top, keySpan(root.items[0]), 'the monitor file');
  for (const section of ['data_drift', 'performance', 'on_drift'] as const satisfies readonly MonitorContext[]) {
    const pair = root.items.find((p) => scalarText(p.key) === section);
    if (pair && isMap(pair.value)) checkKeys(report, pair.value, MONITOR_KEYS[section], keySpan(pair), `\`${section}\``);
  }
  for (const key of ['columns', 'ignore']) {
    const value = root.get(key, true);
    if (isSeq(value))
      for (const item of value.items)
        if (!isScalar(item))
          report.add(
            'type-mismatch',
            valueSpan(item as Node),
            `each entry of \`${key}\` is a column name, not ${describeValue(item as Node)}`,
          );
  }
  const stage = root.items.find((p) => scalarText(p.key) === 'stage');
  const alias = root.items.find((p) => scalarText(p.key) === 'alias');
  if (stage && alias)
    report.add('type-mismatch', keySpan(alias), 'give `stage` or `alias`, not both: the monitor watches one version of the model');
  const drift = root.get('data_drift', true);
  const method = isMap(drift) ? (drift.get('method', true) as Node | undefined) : undefined;
  if (method) {
    const text = scalarText(method);
    if (text === undefined)
      report.add('unknown-method', valueSpan(method), `\`method\` is one of ${listOf(DRIFT_METHODS)}, not ${describeValue(method)}`);
    else if (!(DRIFT_METHODS as readonly string[]).includes(text)) {
      const close = suggestions(text, DRIFT_METHODS);
      report.add(
        'unknown-method',
        valueSpan(method),
        `unknown drift method \`${text}\`${didYouMean(text, DRIFT_METHODS) || `; use ${listOf(DRIFT_METHODS)}`}`,
        {
          fixes: close.map((m, i) => replaceFix(`Change to \`${m}\``, valueSpan(method), m, i === 0)),
        },
      );
    }
  }
  const onDrift = root.get('on_drift', true);
  const params = isMap(onDrift) ? onDrift.get('params', true) : undefined;
  if (isMap(params)) {
    for (const pair of params.items) {
      const value = pair.value as Node | null;
      if (value && !isScalar(value))
        report.add(
          'type-mismatch',
          valueSpan(value, pair),
          `param \`${keyOf(pair)?.name ?? ''}\` needs a single value, not ${describeValue(value)}`,
        );
    }
  }
  return report.diagnostics;
}

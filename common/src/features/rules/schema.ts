import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { checkKeys } from '../../yaml/checkKeys';
import { keyOf, scalarText } from '../../yaml/nodes';
import { describeValue, keySpan, replaceFix, Report, valueSpan } from '../../yaml/report';
import { didYouMean, suggestions } from '../../text/suggest';
import { legacyFeature } from '../legacy';
import { DTYPES, FEATURES_KEYS, isDtype, LEGACY_VIEW_KEYS, legacyDtype, SECTIONS } from '../schema';

/**
 * The features file's own shape: `unknown-key`, `missing-key`,
 * `type-mismatch`, `invalid-duration`, `invalid-dtype`, `deprecated-key`,
 * and `duplicate-name` among the fields of one view. References to other
 * definitions are ./references.ts's.
 */
export function featuresSchemaRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const report = new Report();
  const root = doc.yaml.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) return report.diagnostics;
  if (!isMap(root)) {
    report.add(
      'type-mismatch',
      valueSpan(root),
      `a features file is a map of \`entities\`, \`sources\`, \`feature_views\` and \`feature_services\`, not ${describeValue(root)}`,
    );
    return report.diagnostics;
  }
  const text = doc.text.getText();
  checkKeys(report, root, FEATURES_KEYS.top, keySpan(root.items[0]), 'the features file');
  for (const section of SECTIONS) {
    const pair = root.items.find((p) => scalarText(p.key) === section.key);
    if (!pair || !isSeq(pair.value)) continue;
    for (const item of pair.value.items) {
      if (!isMap(item)) {
        report.add(
          'type-mismatch',
          valueSpan(item as Node),
          `each ${section.what} is a map such as \`{ name: ... }\`, not ${describeValue(item as Node)}`,
        );
        continue;
      }
      const owner = itemOwner(item);
      const label = `${section.what}${owner.name !== undefined ? ` \`${owner.name}\`` : ''}`;
      if (section.context === 'view') view(report, item, owner, label, text);
      else {
        checkKeys(report, item, FEATURES_KEYS[section.context], owner, label);
        if (section.context === 'entity') entity(report, item);
        if (section.context === 'source') source(report, item);
        if (section.context === 'service') service(report, item, label);
      }
    }
  }
  return report.diagnostics;
}

/** Where a list item's problems about missing keys go: its `name` value, else its first key. */
function itemOwner(item: YAMLMap): { start: number; end: number; name?: string } {
  const nameNode = item.get('name', true) as Node | undefined;
  const name = scalarText(nameNode);
  if (nameNode?.range && name !== undefined) return { start: nameNode.range[0], end: nameNode.range[1], name };
  return keySpan(item.items[0]);
}

function entity(report: Report, item: YAMLMap): void {
  const pair = findPair(item, 'join_keys');
  if (pair) {
    const value = pair.value as Node | null;
    if (!isSeq(value) || value.items.length !== 1 || !isScalar(value.items[0])) {
      report.add(
        'type-mismatch',
        valueSpan(value, pair),
        `\`join_keys\` is a list of exactly one column name, such as \`[customer_id]\`, not ${isSeq(value) ? `a list of ${value.items.length}` : describeValue(value)}`,
      );
    }
  }
  dtype(report, findPair(item, 'value_type'), 'value_type');
}

function source(report: Report, item: YAMLMap): void {
  const pathNode = item.get('path', true) as Node | undefined;
  const path = scalarText(pathNode);
  if (path !== undefined && pathNode?.range && !/\.(csv|parquet)$/i.test(path)) {
    report.add(
      'type-mismatch',
      valueSpan(pathNode),
      `a file source is read as CSV or Parquet by its extension; \`${path}\` ends in neither \`.csv\` nor \`.parquet\``,
    );
  }
  const mapping = item.get('field_mapping', true);
  if (isMap(mapping)) {
    for (const pair of mapping.items) {
      const value = pair.value as Node | null;
      if (!isScalar(value) || scalarText(value) === undefined)
        report.add(
          'type-mismatch',
          valueSpan(value, pair),
          `each \`field_mapping\` entry maps a column to a feature name (a string), not ${describeValue(value)}`,
        );
    }
  }
}

function view(report: Report, item: YAMLMap, owner: { start: number; end: number }, label: string, text: string): void {
  checkKeys(report, item, FEATURES_KEYS.view, owner, label, {
    deprecated: LEGACY_VIEW_KEYS,
    deprecatedOrigin: "Feast's older spelling",
    alternatives: { source: 'batch_source', schema: 'features' },
  });
  const entities = findPair(item, 'entities');
  if (entities && isSeq(entities.value)) {
    for (const e of entities.value.items)
      if (!isScalar(e))
        report.add(
          'type-mismatch',
          valueSpan(e as Node),
          `each entry of \`entities\` is an entity's name, not ${describeValue(e as Node)}`,
        );
  }
  const sourcePair = findPair(item, 'source') ?? findPair(item, 'batch_source');
  if (sourcePair) {
    const value = sourcePair.value as Node | null;
    if (isMap(value)) {
      checkKeys(
        report,
        value,
        FEATURES_KEYS.source.map((k) => (k.key === 'name' ? { ...k, required: false } : k)),
        keySpan(sourcePair),
        `the inline source of ${label}`,
      );
      source(report, value);
    } else if (!isScalar(value) || scalarText(value) === undefined) {
      report.add(
        'type-mismatch',
        valueSpan(value, sourcePair),
        `\`source\` is a source's name or an inline source \`{ name, type, path, timestamp_field }\`, not ${describeValue(value)}`,
      );
    }
  }
  const schemaPair = findPair(item, 'schema') ?? findPair(item, 'features');
  if (!schemaPair) return;
  const schema = schemaPair.value as Node | null;
  if (!isSeq(schema)) {
    if (schema && !(isScalar(schema) && schema.value === null))
      report.add(
        'type-mismatch',
        valueSpan(schema, schemaPair),
        `\`schema\` is a list of fields \`{ name, dtype }\`, not ${describeValue(schema)}`,
      );
    return;
  }
  const seen = new Map<string, number>();
  for (const field of schema.items) {
    let nameNode: Node | undefined;
    if (isMap(field)) {
      checkKeys(
        report,
        field,
        FEATURES_KEYS.field,
        itemOwner(field),
        `field${scalarText(field.get('name', true)) !== undefined ? ` \`${scalarText(field.get('name', true))}\`` : ''}`,
      );
      dtype(report, findPair(field, 'dtype'), 'dtype');
      nameNode = field.get('name', true) as Node | undefined;
    } else if (isScalar(field) && typeof field.value === 'string' && legacyFeature(field, text)) {
      const legacy = legacyFeature(field, text)!;
      const modern = legacy.dtype !== undefined ? (isDtype(legacy.dtype) ? legacy.dtype : legacyDtype(legacy.dtype)) : undefined;
      report.add(
        'deprecated-key',
        legacy.whole,
        `\`${field.value}\` is Feast's older spelling of a field; write \`{ name: ${legacy.name}, dtype: ${modern ?? '...'} }\``,
        {
          severity: 'hint',
          fixes: [
            replaceFix(
              `Rewrite as \`{ name: ${legacy.name}, dtype: ${modern ?? 'String'} }\``,
              legacy.whole,
              `{ name: ${legacy.name}, dtype: ${modern ?? 'String'} }`,
              true,
            ),
          ],
        },
      );
      if (legacy.dtype !== undefined && legacy.dtypeSpan && !modern) invalidDtype(report, legacy.dtype, legacy.dtypeSpan);
      const name = legacy.name;
      if (seen.has(name))
        report.add(
          'duplicate-name',
          { start: legacy.start, end: legacy.end },
          `field \`${name}\` is defined twice in ${label}; the first is on line ${lineOf(text, seen.get(name)!)}`,
        );
      else seen.set(name, legacy.start);
      continue;
    } else {
      report.add('type-mismatch', valueSpan(field as Node), `each field is \`{ name, dtype }\`, not ${describeValue(field as Node)}`);
      continue;
    }
    const name = scalarText(nameNode);
    if (name === undefined || !nameNode?.range) continue;
    if (seen.has(name))
      report.add(
        'duplicate-name',
        { start: nameNode.range[0], end: nameNode.range[1] },
        `field \`${name}\` is defined twice in ${label}; the first is on line ${lineOf(text, seen.get(name)!)}`,
      );
    else seen.set(name, nameNode.range[0]);
  }
}

function service(report: Report, item: YAMLMap, label: string): void {
  const pair = findPair(item, 'features');
  if (!pair) return;
  const value = pair.value as Node | null;
  if (!isSeq(value)) {
    if (value && !(isScalar(value) && value.value === null))
      report.add(
        'type-mismatch',
        valueSpan(value, pair),
        `\`features\` of ${label} is a list of views or \`view: [field, ...]\` projections, not ${describeValue(value)}`,
      );
    return;
  }
  for (const entry of value.items) {
    if (isScalar(entry) && scalarText(entry) !== undefined) continue;
    if (isMap(entry)) {
      for (const projection of entry.items) {
        const fields = projection.value as Node | null;
        if (!isSeq(fields) || fields.items.some((f) => !isScalar(f))) {
          report.add(
            'type-mismatch',
            valueSpan(fields, projection),
            `a projection lists field names: \`${scalarText(projection.key) ?? 'view'}: [field, ...]\`, not ${describeValue(fields)}`,
          );
        }
      }
      continue;
    }
    report.add(
      'type-mismatch',
      valueSpan(entry as Node),
      `each entry of \`features\` is a view's name or \`view: [field, ...]\`, not ${describeValue(entry as Node)}`,
    );
  }
}

function dtype(report: Report, pair: Pair | undefined, key: string): void {
  if (!pair) return;
  const node = pair.value as Node | null;
  const text = scalarText(node);
  if (text === undefined || !isScalar(node)) {
    report.add(
      'invalid-dtype',
      valueSpan(node, pair),
      `\`${key}\` needs a dtype: ${DTYPES.slice(0, 8)
        .map((t) => `\`${t}\``)
        .join(', ')} or \`Array(...)\``,
    );
    return;
  }
  if (!isDtype(text)) invalidDtype(report, text, valueSpan(node, pair));
}

function invalidDtype(report: Report, text: string, span: { start: number; end: number }): void {
  const legacy = legacyDtype(text);
  const close = legacy ? [legacy] : suggestions(text, DTYPES);
  const hint = legacy
    ? `; did you mean \`${legacy}\`?`
    : didYouMean(text, DTYPES) ||
      '; use `Int32`, `Int64`, `Float32`, `Float64`, `String`, `Bytes`, `Bool`, `UnixTimestamp` or `Array(<one of those>)`';
  report.add('invalid-dtype', span, `\`${text}\` is not a dtype${hint}`, {
    fixes: close.map((v, i) => replaceFix(`Change to \`${v}\``, span, v, i === 0)),
  });
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyOf(p)?.name === key);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

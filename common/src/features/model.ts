import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ParsedDocument } from '../document/parsedDocument';
import type { Span } from '../expressions/ast';
import { keyOf, scalarText } from '../yaml/nodes';
import { legacyFeature } from './legacy';

/** A name as written: its text and where it is. */
export interface Named extends Span {
  readonly name: string;
}

export interface EntityDef extends Named {
  /** The single join key; default the entity's name. */
  readonly joinKey: string;
  readonly joinKeySpan?: Span;
  readonly valueType?: string;
  readonly description?: string;
}

export interface MappingEntry {
  /** The column in the file. */
  readonly column: Named;
  /** The feature name it becomes. */
  readonly feature: Named;
}

export interface SourceDef extends Named {
  readonly path?: Named;
  readonly type?: string;
  readonly timestampField?: Named;
  readonly createdTimestampColumn?: Named;
  readonly fieldMapping: readonly MappingEntry[];
  readonly description?: string;
  /** Set for a source written inline in a view: that view's name. */
  readonly inlineIn?: string;
}

export interface FieldDef extends Named {
  readonly dtype?: string;
  readonly dtypeSpan?: Span;
  readonly description?: string;
  /** Written as Feast's older `Feature(name, dtype)` string. */
  readonly legacy?: boolean;
}

export interface ViewDef extends Named {
  readonly entities: readonly Named[];
  /** A reference to a source by name. */
  readonly source?: Named;
  /** A source written inline. */
  readonly inlineSource?: SourceDef;
  readonly ttl?: string;
  readonly online?: boolean;
  readonly fields: readonly FieldDef[];
  readonly description?: string;
  readonly owner?: string;
}

export interface Projection {
  readonly view: Named;
  /** Undefined: the whole view. */
  readonly fields?: readonly Named[];
}

export interface ServiceDef extends Named {
  readonly projections: readonly Projection[];
  readonly description?: string;
}

export type FeaturesSymbolKind = 'entity' | 'source' | 'view' | 'field' | 'service';

/** A definition or a use of a name, for hover, navigation and rename. */
export interface Occurrence extends Named {
  readonly kind: FeaturesSymbolKind;
  /** Fields: the view they belong to. */
  readonly view?: string;
  readonly isDeclaration: boolean;
}

/**
 * What a features file defines and references, with document offsets. Plain
 * data, no AST nodes: the workspace index keeps it for files that are not
 * open, after their AST is gone.
 */
export interface FeaturesModel {
  readonly project?: string;
  readonly entities: readonly EntityDef[];
  /** Top-level sources and named inline ones. */
  readonly sources: readonly SourceDef[];
  readonly views: readonly ViewDef[];
  readonly services: readonly ServiceDef[];
  /** Every definition and use, sorted by offset. */
  readonly occurrences: readonly Occurrence[];
}

const cache = new WeakMap<ParsedDocument, FeaturesModel>();

export function featuresModel(doc: ParsedDocument): FeaturesModel {
  let model = cache.get(doc);
  if (!model) {
    model = readModel(doc.yaml.contents, doc.text.getText());
    cache.set(doc, model);
  }
  return model;
}

function span(node: unknown): Span | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

/** A scalar value with its span. */
export function named(node: unknown): Named | undefined {
  const text = scalarText(node);
  const at = span(node);
  return text === undefined || !at ? undefined : { name: text, ...at };
}

function str(map: YAMLMap, key: string): string | undefined {
  return scalarText(map.get(key, true));
}

/** The items of a section list, or of the view's schema; a non-list gives none (the schema rule reports it). */
function items(map: YAMLMap | undefined, key: string): readonly unknown[] {
  const value = map?.get(key, true);
  return isSeq(value) ? value.items : [];
}

function readModel(root: unknown, text: string): FeaturesModel {
  const top = isMap(root) ? root : undefined;
  const entities: EntityDef[] = [];
  const sources: SourceDef[] = [];
  const views: ViewDef[] = [];
  const services: ServiceDef[] = [];
  for (const item of items(top, 'entities')) if (isMap(item)) pushDefined(entities, readEntity(item));
  for (const item of items(top, 'sources')) if (isMap(item)) pushDefined(sources, readSource(item));
  for (const item of items(top, 'feature_views')) {
    if (!isMap(item)) continue;
    const view = readView(item, text);
    if (!view) continue;
    views.push(view);
    if (view.inlineSource && view.inlineSource.name !== '') sources.push(view.inlineSource);
  }
  for (const item of items(top, 'feature_services')) if (isMap(item)) pushDefined(services, readService(item));
  const project = top ? str(top, 'project') : undefined;
  return {
    ...(project !== undefined ? { project } : {}),
    entities,
    sources,
    views,
    services,
    occurrences: occurrencesOf(entities, sources, views, services),
  };
}

function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}

function readEntity(map: YAMLMap): EntityDef | undefined {
  const name = named(map.get('name', true));
  if (!name) return undefined;
  const keys = map.get('join_keys', true);
  const first = isSeq(keys) ? named(keys.items[0]) : named(keys);
  const valueType = str(map, 'value_type');
  const description = str(map, 'description');
  return {
    ...name,
    joinKey: first?.name ?? name.name,
    ...(first ? { joinKeySpan: { start: first.start, end: first.end } } : {}),
    ...(valueType !== undefined ? { valueType } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

function readSource(map: YAMLMap, inlineIn?: string): SourceDef | undefined {
  const at = span(map)?.start ?? 0;
  const name = named(map.get('name', true)) ?? (inlineIn !== undefined ? { name: '', start: at, end: at } : undefined);
  if (!name) return undefined;
  const path = named(map.get('path', true));
  const type = str(map, 'type');
  const timestampField = named(map.get('timestamp_field', true));
  const created = named(map.get('created_timestamp_column', true));
  const mapping = map.get('field_mapping', true);
  const fieldMapping: MappingEntry[] = [];
  if (isMap(mapping)) {
    for (const pair of mapping.items) {
      const column = keyOf(pair);
      const feature = named(pair.value);
      if (column && feature) fieldMapping.push({ column, feature });
    }
  }
  const description = str(map, 'description');
  return {
    ...name,
    ...(path ? { path } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(timestampField ? { timestampField } : {}),
    ...(created ? { createdTimestampColumn: created } : {}),
    fieldMapping,
    ...(description !== undefined ? { description } : {}),
    ...(inlineIn !== undefined ? { inlineIn } : {}),
  };
}

function readView(map: YAMLMap, text: string): ViewDef | undefined {
  const name = named(map.get('name', true));
  if (!name) return undefined;
  const entityList = map.get('entities', true);
  const entities = isSeq(entityList) ? entityList.items.map(named).filter((n): n is Named => n !== undefined) : [];
  const sourceNode = map.has('source') ? map.get('source', true) : map.get('batch_source', true);
  const inlineSource = isMap(sourceNode) ? readSource(sourceNode, name.name) : undefined;
  const source = isMap(sourceNode) ? undefined : named(sourceNode);
  const fields: FieldDef[] = [];
  const schema = map.has('schema') ? map.get('schema', true) : map.get('features', true);
  if (isSeq(schema)) for (const item of schema.items) pushDefined(fields, readField(item, text));
  const ttl = str(map, 'ttl');
  const online = map.get('online', true);
  const description = str(map, 'description');
  const owner = str(map, 'owner');
  return {
    ...name,
    entities,
    ...(source ? { source } : {}),
    ...(inlineSource ? { inlineSource } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
    ...(isScalar(online) && typeof online.value === 'boolean' ? { online: online.value } : {}),
    fields,
    ...(description !== undefined ? { description } : {}),
    ...(owner !== undefined ? { owner } : {}),
  };
}

function readField(item: unknown, text: string): FieldDef | undefined {
  if (isMap(item)) {
    const name = named(item.get('name', true));
    if (!name) return undefined;
    // Built field by field: a view file holds thousands of these, and spreads allocate.
    const field: Mutable<FieldDef> = { name: name.name, start: name.start, end: name.end };
    const dtypeNode = item.get('dtype', true);
    const dtype = scalarText(dtypeNode);
    if (dtype !== undefined) {
      field.dtype = dtype;
      const dtypeSpan = span(dtypeNode);
      if (dtypeSpan) field.dtypeSpan = dtypeSpan;
    }
    if (item.items.length > 2) {
      const description = str(item, 'description');
      if (description !== undefined) field.description = description;
    }
    return field;
  }
  const legacy = isScalar(item) && typeof item.value === 'string' ? legacyFeature(item, text) : undefined;
  return legacy ? { ...legacy, legacy: true } : undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readService(map: YAMLMap): ServiceDef | undefined {
  const name = named(map.get('name', true));
  if (!name) return undefined;
  const projections: Projection[] = [];
  for (const item of items(map, 'features')) {
    if (isMap(item)) {
      for (const pair of item.items as Pair[]) {
        const view = keyOf(pair);
        if (!view) continue;
        const value = pair.value;
        const fields = isSeq(value) ? value.items.map(named).filter((n): n is Named => n !== undefined) : [];
        projections.push({ view, fields });
      }
    } else {
      const view = named(item);
      if (view) projections.push({ view });
    }
  }
  const description = str(map, 'description');
  return { ...name, projections, ...(description !== undefined ? { description } : {}) };
}

function occurrencesOf(
  entities: readonly EntityDef[],
  sources: readonly SourceDef[],
  views: readonly ViewDef[],
  services: readonly ServiceDef[],
): Occurrence[] {
  const out: Occurrence[] = [];
  const add = (n: Named, kind: FeaturesSymbolKind, isDeclaration: boolean, view?: string) =>
    out.push({ kind, name: n.name, start: n.start, end: n.end, isDeclaration, ...(view !== undefined ? { view } : {}) });
  for (const e of entities) add(e, 'entity', true);
  for (const s of sources) if (s.name !== '') add(s, 'source', true);
  for (const v of views) {
    add(v, 'view', true);
    for (const e of v.entities) add(e, 'entity', false);
    if (v.source) add(v.source, 'source', false);
    for (const f of v.fields) add(f, 'field', true, v.name);
  }
  for (const s of services) {
    add(s, 'service', true);
    for (const p of s.projections) {
      add(p.view, 'view', false);
      for (const f of p.fields ?? []) add(f, 'field', false, p.view.name);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The occurrence at `offset` (a cursor touching a name's end counts). */
export function occurrenceAt(occurrences: readonly Occurrence[], offset: number): Occurrence | undefined {
  let lo = 0;
  let hi = occurrences.length - 1;
  let found: Occurrence | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (occurrences[mid]!.start <= offset) {
      found = occurrences[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && offset <= found.end ? found : undefined;
}

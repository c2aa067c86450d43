import type { KeySpec } from '../yaml/keyTable';

/** Where a map sits in a features file. */
export type FeaturesContext = 'top' | 'entity' | 'source' | 'view' | 'field' | 'service';

/** The scalar dtypes of docs/formats.md (section Features files); each may also be wrapped in `Array(...)`. */
export const SCALAR_DTYPES = ['Int32', 'Int64', 'Float32', 'Float64', 'String', 'Bytes', 'Bool', 'UnixTimestamp'] as const;

/** Every dtype, the `Array(...)` ones after the scalars. */
export const DTYPES: readonly string[] = [...SCALAR_DTYPES, ...SCALAR_DTYPES.map((t) => `Array(${t})`)];

export function isDtype(text: string): boolean {
  return DTYPES.includes(text.replace(/\s+/g, ''));
}

/** Feast's `ValueType` names (Feast's older spelling: `INT64`, `ValueType.FLOAT`, `STRING_LIST`) and common aliases, with the dtype they mean. */
const LEGACY_DTYPES: Readonly<Record<string, string>> = {
  INT32: 'Int32',
  INT64: 'Int64',
  FLOAT: 'Float32',
  FLOAT32: 'Float32',
  DOUBLE: 'Float64',
  FLOAT64: 'Float64',
  STRING: 'String',
  STR: 'String',
  BYTES: 'Bytes',
  BOOL: 'Bool',
  BOOLEAN: 'Bool',
  UNIX_TIMESTAMP: 'UnixTimestamp',
  TIMESTAMP: 'UnixTimestamp',
  INT: 'Int64',
  INTEGER: 'Int64',
};

/** The dtype a legacy or differently cased spelling means (`ValueType.INT64` -> `Int64`, `string_list` -> `Array(String)`), or undefined. */
export function legacyDtype(text: string): string | undefined {
  const bare = text.trim().replace(/^(ValueType|Feast|feast\.types|types)\./i, '');
  const upper = bare.toUpperCase();
  const list = /^(.*)_LIST$/.exec(upper);
  if (list) {
    const inner = LEGACY_DTYPES[list[1]!];
    return inner ? `Array(${inner})` : undefined;
  }
  const array = /^ARRAY\((.*)\)$/.exec(upper);
  if (array) {
    const inner = LEGACY_DTYPES[array[1]!.trim()] ?? SCALAR_DTYPES.find((t) => t.toUpperCase() === array[1]!.trim());
    return inner ? `Array(${inner})` : undefined;
  }
  return LEGACY_DTYPES[upper] ?? SCALAR_DTYPES.find((t) => t.toUpperCase() === upper);
}

const DTYPE_DOC = 'One of `Int32`, `Int64`, `Float32`, `Float64`, `String`, `Bytes`, `Bool`, `UnixTimestamp`, or `Array(<one of those>)`.';

const TOP: readonly KeySpec[] = [
  { key: 'project', shape: 'string', snippet: ' ${1:my_project}', doc: 'The Feast project these definitions belong to (optional).' },
  {
    key: 'entities',
    shape: 'list',
    snippet: '\n  - name: ${1:customer}\n    join_keys: [${2:customer_id}]\n    value_type: ${3|String,Int64|}',
    doc: 'Entities: the keys features are joined on, each `{ name, join_keys, value_type, description }`.',
  },
  {
    key: 'sources',
    shape: 'list',
    snippet: '\n  - name: ${1:stats}\n    type: file\n    path: ${2:data/stats.parquet}\n    timestamp_field: ${3:event_timestamp}',
    doc: 'Data sources: a CSV or Parquet file (by its extension) with an event timestamp column.',
  },
  {
    key: 'feature_views',
    shape: 'list',
    snippet:
      '\n  - name: ${1:features}\n    entities: [${2}]\n    source: ${3}\n    schema:\n      - { name: ${4}, dtype: ${5|Int64,Float32,String|} }',
    doc: 'Feature views: typed columns of a source, keyed by entities.',
  },
  {
    key: 'feature_services',
    shape: 'list',
    snippet: '\n  - name: ${1:model_v1}\n    features:\n      - ${2:view}',
    doc: 'Feature services: the features a model reads, as whole views or projections `view: [field, ...]`.',
  },
];

const ENTITY: readonly KeySpec[] = [
  {
    key: 'name',
    shape: 'string',
    required: true,
    snippet: ' ${1}',
    doc: "The entity's name, unique in the workspace. Views list it in `entities`.",
  },
  {
    key: 'join_keys',
    shape: 'custom',
    snippet: ' [${1}]',
    doc: 'The column the entity joins on: a list of exactly one name. Default: `[name]`.',
  },
  { key: 'value_type', shape: 'dtype', snippet: ' ${1|String,Int64,Int32|}', doc: `The join key's type. ${DTYPE_DOC}` },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the entity is, shown in hovers.' },
  { key: 'tags', shape: 'map', snippet: ' { ${1:team}: ${2} }', doc: 'Free-form `key: value` labels.' },
  { key: 'owner', shape: 'string', snippet: ' ${1}', doc: 'Who to ask about it, usually an e-mail address.' },
];

const SOURCE: readonly KeySpec[] = [
  {
    key: 'name',
    shape: 'string',
    required: true,
    snippet: ' ${1}',
    doc: "The source's name, unique in the workspace. Views name it in `source`.",
  },
  { key: 'type', shape: 'string', values: ['file'], snippet: ' file', doc: "`file`: a CSV or Parquet file, read by the path's extension." },
  {
    key: 'path',
    shape: 'string',
    required: true,
    snippet: ' ${1}',
    doc: 'The data file, relative to this features file: `.csv` or `.parquet`.',
  },
  { key: 'timestamp_field', shape: 'string', snippet: ' ${1:event_timestamp}', doc: "The column holding each row's event time." },
  {
    key: 'created_timestamp_column',
    shape: 'string',
    snippet: ' ${1:created}',
    doc: 'The column holding when each row was written; breaks ties between rows of one event time (optional).',
  },
  {
    key: 'field_mapping',
    shape: 'map',
    snippet: ' { ${1:column}: ${2:feature} }',
    doc: 'Renames: `file column: feature name` (optional).',
  },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the data is.' },
  { key: 'tags', shape: 'map', snippet: ' { ${1:team}: ${2} }', doc: 'Free-form `key: value` labels.' },
  { key: 'owner', shape: 'string', snippet: ' ${1}', doc: 'Who to ask about it.' },
];

const VIEW: readonly KeySpec[] = [
  {
    key: 'name',
    shape: 'string',
    required: true,
    snippet: ' ${1}',
    doc: "The view's name, unique in the workspace. Feature services name it.",
  },
  {
    key: 'entities',
    shape: 'list',
    snippet: ' [${1}]',
    doc: 'The entities the view is keyed by, by name (defined in any features file of the workspace).',
  },
  {
    key: 'ttl',
    shape: 'duration',
    zero: true,
    snippet: ' ${1:1d}',
    doc: 'How far back a feature value stays valid: a duration such as `90s`, `30m`, `2h`, `1d`; `0` means forever.',
  },
  {
    key: 'online',
    shape: 'bool',
    values: ['true', 'false'],
    snippet: ' ${1|true,false|}',
    doc: 'Whether the view is materialised to the online store.',
  },
  {
    key: 'source',
    shape: 'ref',
    required: true,
    snippet: ' ${1}',
    doc: "A source's name (from any features file of the workspace), or an inline source `{ name, type, path, timestamp_field }`.",
  },
  {
    key: 'schema',
    shape: 'list',
    snippet: '\n  - { name: ${1}, dtype: ${2|Int64,Float32,String|} }',
    doc: "The view's fields: `{ name, dtype }`, each a column of the source (after `field_mapping`).",
  },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the view holds.' },
  { key: 'tags', shape: 'map', snippet: ' { ${1:team}: ${2} }', doc: 'Free-form `key: value` labels.' },
  { key: 'owner', shape: 'string', snippet: ' ${1}', doc: 'Who to ask about it, usually an e-mail address.' },
];

const FIELD: readonly KeySpec[] = [
  {
    key: 'name',
    shape: 'string',
    required: true,
    snippet: ' ${1}',
    doc: "The field's name: a column of the view's source, after `field_mapping`.",
  },
  { key: 'dtype', shape: 'dtype', required: true, snippet: ' ${1|Int64,Float32,String|}', doc: `The field's type. ${DTYPE_DOC}` },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the field means.' },
  { key: 'tags', shape: 'map', snippet: ' { ${1:key}: ${2} }', doc: 'Free-form `key: value` labels.' },
];

const SERVICE: readonly KeySpec[] = [
  { key: 'name', shape: 'string', required: true, snippet: ' ${1}', doc: "The service's name, unique in the workspace." },
  {
    key: 'features',
    shape: 'custom',
    required: true,
    snippet: '\n  - ${1:view}',
    doc: "What the model reads: a view's name (every field), or `view: [field, ...]` (a projection).",
  },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the service is for.' },
  { key: 'tags', shape: 'map', snippet: ' { ${1:key}: ${2} }', doc: 'Free-form `key: value` labels.' },
  { key: 'owner', shape: 'string', snippet: ' ${1}', doc: 'Who to ask about it.' },
];

export const FEATURES_KEYS: Readonly<Record<FeaturesContext, readonly KeySpec[]>> = {
  top: TOP,
  entity: ENTITY,
  source: SOURCE,
  view: VIEW,
  field: FIELD,
  service: SERVICE,
};

/** Feast's older spellings in a feature view, accepted with a `deprecated-key` hint. */
export const LEGACY_VIEW_KEYS: Readonly<Record<string, string>> = { features: 'schema', batch_source: 'source' };

/** The list of each top-level section and the context of its items. */
export const SECTIONS: readonly { readonly key: string; readonly context: FeaturesContext; readonly what: string }[] = [
  { key: 'entities', context: 'entity', what: 'entity' },
  { key: 'sources', context: 'source', what: 'source' },
  { key: 'feature_views', context: 'view', what: 'feature view' },
  { key: 'feature_services', context: 'service', what: 'feature service' },
];

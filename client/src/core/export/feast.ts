import * as path from 'node:path';
import { parseDuration } from '../../../../common/src';
import { featuresModel, type FeaturesModel } from '../../../../common/src/features/model';
import { indexFiles } from '../validation/indexFiles';
import { validateFile } from '../validation/validateFile';
import { ExportError } from './stepScript';

// Features files as a Feast feature repository: feature_store.yaml and one Python module in
// today's Feast API (Entity, FileSource, FeatureView with schema=[Field], FeatureService), so that
// `feast apply` runs in the folder unchanged. Names and dtypes map one to one.

export interface FeastFile {
  /** Relative to the repository folder. */
  readonly name: string;
  readonly text: string;
}

export interface FeastExport {
  readonly project: string;
  readonly files: readonly FeastFile[];
  /** What Feast will read differently, one line each (a CSV source). */
  readonly notes: readonly string[];
}

const VALUE_TYPES: Record<string, string> = {
  Int32: 'INT32',
  Int64: 'INT64',
  Float32: 'FLOAT',
  Float64: 'DOUBLE',
  String: 'STRING',
  Bytes: 'BYTES',
  Bool: 'BOOL',
  UnixTimestamp: 'UNIX_TIMESTAMP',
};

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);
/** Names the module imports: a definition's variable never shadows one. */
const IMPORTED = new Set([
  'timedelta',
  'Entity',
  'FeatureService',
  'FeatureView',
  'Field',
  'FileSource',
  'ValueType',
  'Array',
  'Bool',
  'Bytes',
]);

type Raw = Record<string, unknown>;
const py = (text: string) => JSON.stringify(text); // a JSON string is a Python string literal

/** A dtype as feast.types writes it: `Int64`, `Array(String)`. */
function feastType(dtype: string): string {
  return dtype.replace(/\s+/g, '');
}

/** An entity's value_type as Feast's ValueType: `ValueType.STRING`, `ValueType.INT64_LIST`. */
function valueType(dtype: string): string {
  const array = /^Array\((\w+)\)$/.exec(feastType(dtype));
  const scalar = VALUE_TYPES[array ? array[1]! : feastType(dtype)];
  if (!scalar) throw new ExportError(`value_type ${dtype} has no Feast ValueType`);
  return `ValueType.${scalar}${array ? '_LIST' : ''}`;
}

/** `timedelta(days=1, hours=2)` for a duration; undefined for 0 (Feast: no limit). */
function timedeltaOf(ttl: string | undefined, where: string): string | undefined {
  if (ttl === undefined || /^\s*0+\s*$/.test(ttl)) return undefined;
  const ms = parseDuration(ttl);
  if (ms === undefined) throw new ExportError(`${where}: ttl ${JSON.stringify(ttl)} is not a duration`);
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['days', 86_400],
    ['hours', 3600],
    ['minutes', 60],
    ['seconds', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${unit}=${n}`);
  }
  return `timedelta(${parts.join(', ')})`;
}

const dictOf = (value: unknown): Record<string, string> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Raw).map(([k, v]) => [k, String(v)]))
    : undefined;

const pyDict = (d: Record<string, string>) =>
  `{${Object.entries(d)
    .map(([k, v]) => `${py(k)}: ${py(v)}`)
    .join(', ')}}`;

/** A call with one keyword argument per line, as black formats a call too long for one line. */
function call(fn: string, args: readonly (readonly [string, string | undefined])[], indent = ''): string {
  const given = args.filter((a): a is readonly [string, string] => a[1] !== undefined);
  return `${fn}(\n${given.map(([k, v]) => `${indent}    ${k}=${v},\n`).join('')}${indent})`;
}

/** The optional `description`, `owner` and `tags` of a definition. */
function meta(raw: Raw | undefined, keys: readonly ('description' | 'owner' | 'tags')[]): [string, string | undefined][] {
  return keys.map((key) => {
    const value = raw?.[key];
    if (key === 'tags') {
      const tags = dictOf(value);
      return [key, tags && Object.keys(tags).length ? pyDict(tags) : undefined];
    }
    return [key, typeof value === 'string' && value !== '' ? py(value) : undefined];
  });
}

/** Reads and checks the features files together (references resolve across them), then writes the repository. */
export async function feastRepository(files: readonly string[], outDir: string, generator: string): Promise<FeastExport> {
  if (files.length === 0) throw new ExportError('no features files given');
  for (const file of files)
    if (!/\.features\.ya?ml$/i.test(file)) throw new ExportError(`${file} is not a features file (*.features.yaml)`);
  const { index, docs } = await indexFiles(files);
  const problems: string[] = [];
  for (const [file, doc] of docs) {
    const report = await validateFile(file, { workspace: index, doc });
    for (const d of report.diagnostics) if (d.severity === 'error') problems.push(`${file}:${d.line}:${d.column} ${d.code}: ${d.message}`);
  }
  if (problems.length)
    throw new ExportError(
      `the features files have ${problems.length === 1 ? 'an error' : `${problems.length} errors`}:\n  ${problems.join('\n  ')}`,
    );

  const models: { file: string; model: FeaturesModel; raw: Raw }[] = [...docs].map(([file, doc]) => ({
    file,
    model: featuresModel(doc),
    raw: (doc.yaml.toJS() ?? {}) as Raw,
  }));
  const rawItem = (raw: Raw, list: string, name: string) =>
    (Array.isArray(raw[list]) ? (raw[list] as Raw[]) : []).find((item) => item && typeof item === 'object' && item.name === name);

  const projects = [...new Set(models.map((m) => m.model.project).filter((p): p is string => !!p))];
  if (projects.length > 1)
    throw new ExportError(`the files name different projects (${projects.join(', ')}); export each project on its own`);
  const written = projects[0] ?? path.basename(path.resolve(outDir));
  const project = written.replace(/[^A-Za-z0-9_]/g, '_');
  const notes: string[] = [];
  if (project !== written) notes.push(`project ${written} is ${project} in Feast, which allows letters, digits and _ only`);

  // Variables: each definition's name as a Python identifier, unique across the module.
  const taken = new Set<string>();
  const variable = (name: string, kind: string) => {
    let id = name.replace(/\W/g, '_').replace(/^(\d)/, '_$1');
    if (PYTHON_KEYWORDS.has(id) || IMPORTED.has(id) || taken.has(id)) id = `${id}_${kind}`;
    for (let n = 2; taken.has(id); n++) id = `${id.replace(/_\d+$/, '')}_${n}`;
    taken.add(id);
    return id;
  };
  const blocks: string[] = [];
  const types = new Set<string>();
  const entityVars = new Map<string, string>();
  const sourceVars = new Map<string, string>();
  const viewVars = new Map<string, string>();
  let usesTimedelta = false;

  for (const { model, raw } of models)
    for (const e of model.entities) {
      const v = variable(e.name, 'entity');
      entityVars.set(e.name, v);
      blocks.push(
        `${v} = ${call('Entity', [
          ['name', py(e.name)],
          ['join_keys', `[${py(e.joinKey)}]`],
          ['value_type', e.valueType ? valueType(e.valueType) : undefined],
          ...meta(rawItem(raw, 'entities', e.name), ['description', 'owner', 'tags']),
        ])}`,
      );
    }

  const sourceBlock = (v: string, s: FeaturesModel['sources'][number], file: string, rawSource: Raw | undefined) => {
    const absolute = path.resolve(path.dirname(file), s.path!.name);
    const relative = path.relative(path.resolve(outDir), absolute).split(path.sep).join('/');
    const csv = /\.csv$/i.test(absolute);
    if (csv)
      notes.push(
        `source ${s.name || v} is CSV (${relative}); Feast's file offline store reads Parquet, so convert it before feast materialize`,
      );
    const mapping = Object.fromEntries(s.fieldMapping.map((m) => [m.column.name, m.feature.name]));
    return `${csv ? "# Feast's file offline store reads Parquet: convert this CSV file before materializing.\n" : ''}${v} = ${call(
      'FileSource',
      [
        ['name', s.name ? py(s.name) : undefined],
        ['path', py(relative)],
        ['timestamp_field', s.timestampField ? py(s.timestampField.name) : undefined],
        ['created_timestamp_column', s.createdTimestampColumn ? py(s.createdTimestampColumn.name) : undefined],
        ['field_mapping', Object.keys(mapping).length ? pyDict(mapping) : undefined],
        ...meta(rawSource, ['description', 'owner', 'tags']),
      ],
    )}`;
  };
  for (const { file, model, raw } of models)
    for (const s of model.sources)
      if (s.inlineIn === undefined) {
        const v = variable(`${s.name}_source`, 'source');
        sourceVars.set(s.name, v);
        blocks.push(sourceBlock(v, s, file, rawItem(raw, 'sources', s.name)));
      }

  for (const { file, model, raw } of models)
    for (const view of model.views) {
      const rawView = rawItem(raw, 'feature_views', view.name);
      let source: string;
      if (view.inlineSource) {
        source = variable(`${view.name}_source`, 'source');
        const rawSource = (rawView?.source ?? rawView?.batch_source) as Raw | undefined;
        blocks.push(sourceBlock(source, view.inlineSource, file, rawSource));
      } else source = sourceVars.get(view.source!.name)!;
      const rawFields = (
        Array.isArray(rawView?.schema) ? rawView.schema : Array.isArray(rawView?.features) ? rawView.features : []
      ) as unknown[];
      const fields = view.fields.map((f) => {
        types.add(feastType(f.dtype!).replace(/^Array\((\w+)\)$/, '$1'));
        if (/^Array\(/.test(feastType(f.dtype!))) types.add('Array');
        const rawField = rawFields.find((r): r is Raw => !!r && typeof r === 'object' && (r as Raw).name === f.name);
        const extra = meta(rawField, ['description', 'tags']).filter(([, value]) => value !== undefined);
        return `        Field(name=${py(f.name)}, dtype=${feastType(f.dtype!)}${extra.map(([k, value]) => `, ${k}=${value}`).join('')}),\n`;
      });
      const ttl = timedeltaOf(view.ttl, `${file}: feature view ${view.name}`);
      if (ttl) usesTimedelta = true;
      const v = variable(view.name, 'view');
      viewVars.set(view.name, v);
      blocks.push(
        `${v} = ${call('FeatureView', [
          ['name', py(view.name)],
          ['entities', `[${view.entities.map((e) => entityVars.get(e.name)!).join(', ')}]`],
          ['ttl', ttl],
          ['schema', `[\n${fields.join('')}    ]`],
          ['online', view.online === undefined ? undefined : view.online ? 'True' : 'False'],
          ['source', source],
          ...meta(rawView, ['description', 'owner', 'tags']),
        ])}`,
      );
    }

  for (const { model, raw } of models)
    for (const s of model.services) {
      const features = s.projections.map((p) => {
        const v = viewVars.get(p.view.name)!;
        return p.fields?.length ? `${v}[[${p.fields.map((f) => py(f.name)).join(', ')}]]` : v;
      });
      blocks.push(
        `${variable(s.name, 'service')} = ${call('FeatureService', [
          ['name', py(s.name)],
          ['features', `[\n${features.map((f) => `        ${f},\n`).join('')}    ]`],
          ...meta(rawItem(raw, 'feature_services', s.name), ['description', 'owner', 'tags']),
        ])}`,
      );
    }

  const sources = models.map((m) => path.relative(path.resolve(outDir), m.file).split(path.sep).join('/'));
  const feastNames = ['Entity', 'FeatureService', 'FeatureView', 'Field', 'FileSource', 'ValueType'].filter((name) =>
    blocks.some((b) => b.includes(`${name}(`) || b.includes(`${name}.`)),
  );
  const module = [
    `# Feast feature repository of project ${project}, generated by ${generator} from`,
    ...sources.map((s) => `#   ${s}`),
    '# Edit the features files and export again rather than editing this file; then run `feast apply` here.',
    ...(usesTimedelta ? ['from datetime import timedelta', ''] : []),
    ...(feastNames.length ? [`from feast import ${feastNames.join(', ')}`] : []),
    ...(types.size ? [`from feast.types import ${[...types].sort().join(', ')}`] : []),
    '',
    ...blocks.flatMap((b) => ['', b]),
    '',
  ].join('\n');
  const store = [
    `# Written by ${generator}: a local Feast repository with a SQLite online store.`,
    `project: ${project}`,
    'registry: data/registry.db',
    'provider: local',
    'online_store:',
    '  type: sqlite',
    '',
  ].join('\n');
  return {
    project,
    files: [
      { name: 'feature_store.yaml', text: store },
      { name: 'features.py', text: module },
    ],
    notes,
  };
}

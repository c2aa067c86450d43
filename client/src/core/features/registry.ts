import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kindInfo, parseDuration, parseMlopsDocument } from '../../../../common/src';
import { featuresModel, type SourceDef } from '../../../../common/src/features/model';
import { collectFiles } from '../validation/collectFiles';

// The feature definitions of a workspace, resolved across its features files: what retrieval reads.

export interface SourceSpec {
  readonly name: string;
  /** Absolute path of the CSV or Parquet file. */
  readonly file: string;
  readonly timestampField: string;
  readonly createdTimestampColumn?: string;
  /** Feature field name → the file's column. */
  readonly columnOf: ReadonlyMap<string, string>;
}

export interface ViewSpec {
  readonly name: string;
  /** The join key of each of the view's entities, in order. */
  readonly joinKeys: readonly string[];
  /** Milliseconds; 0 means no limit. */
  readonly ttlMs: number;
  readonly online: boolean;
  readonly source: SourceSpec;
  readonly fields: readonly string[];
  /** Field → its dtype as written (Int64, Float32, String, ...). */
  readonly dtypes: ReadonlyMap<string, string>;
  /** The file that defines it. */
  readonly file: string;
}

export interface ServiceSpec {
  readonly name: string;
  readonly features: readonly { view: string; field: string }[];
}

export interface FeatureRegistry {
  readonly views: ReadonlyMap<string, ViewSpec>;
  readonly services: ReadonlyMap<string, ServiceSpec>;
  /** Entity name → its join key. */
  readonly entities: ReadonlyMap<string, string>;
}

/** A definition that retrieval cannot use: names it and the file. */
export class FeatureDefinitionError extends Error {
  override readonly name = 'FeatureDefinitionError';
}

function sourceSpec(def: SourceDef, file: string): SourceSpec {
  const where = `${file}: source ${def.name}`;
  if (!def.path) throw new FeatureDefinitionError(`${where} has no path`);
  if (!def.timestampField) throw new FeatureDefinitionError(`${where} has no timestamp_field`);
  const columnOf = new Map<string, string>();
  for (const entry of def.fieldMapping) columnOf.set(entry.feature.name, entry.column.name);
  return {
    name: def.name,
    file: path.resolve(path.dirname(file), def.path.name),
    timestampField: def.timestampField.name,
    ...(def.createdTimestampColumn ? { createdTimestampColumn: def.createdTimestampColumn.name } : {}),
    columnOf,
  };
}

/** Reads every features file under `folder` (or the files given) into one registry. */
export async function loadFeatureRegistry(paths: readonly string[]): Promise<FeatureRegistry> {
  const files = (await collectFiles(paths)).filter((f) => /\.features\.ya?ml$/.test(f));
  const models = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const doc = parseMlopsDocument(
      TextDocument.create(pathToFileURL(file).toString(), kindInfo('features').languageId, 1, text),
      'features',
    );
    // A file that is not YAML defines nothing it can be trusted for: say where it breaks.
    const broken = doc.yaml.errors[0];
    if (broken) {
      const at = doc.text.positionAt(broken.pos[0]);
      throw new FeatureDefinitionError(`${file}:${at.line + 1}:${at.character + 1}: ${broken.message.split('\n')[0]}`);
    }
    models.push({ file, model: featuresModel(doc) });
  }
  const entities = new Map<string, string>();
  const sources = new Map<string, { def: SourceDef; file: string }>();
  for (const { file, model } of models) {
    for (const e of model.entities) entities.set(e.name, e.joinKey);
    for (const s of model.sources) if (!s.inlineIn) sources.set(s.name, { def: s, file });
  }
  const views = new Map<string, ViewSpec>();
  for (const { file, model } of models) {
    for (const v of model.views) {
      const where = `${file}: feature view ${v.name}`;
      const joinKeys = v.entities.map((e) => {
        const key = entities.get(e.name);
        if (key === undefined) throw new FeatureDefinitionError(`${where}: unknown entity ${e.name}`);
        return key;
      });
      let source: SourceSpec;
      if (v.inlineSource) source = sourceSpec(v.inlineSource, file);
      else if (v.source) {
        const found = sources.get(v.source.name);
        if (!found) throw new FeatureDefinitionError(`${where}: unknown source ${v.source.name}`);
        source = sourceSpec(found.def, found.file);
      } else throw new FeatureDefinitionError(`${where} has no source`);
      const ttlMs = v.ttl === undefined || /^\s*0+\s*$/.test(v.ttl) ? 0 : parseDuration(v.ttl);
      if (ttlMs === undefined) throw new FeatureDefinitionError(`${where}: ttl ${JSON.stringify(v.ttl)} is not a duration`);
      views.set(v.name, {
        name: v.name,
        joinKeys,
        ttlMs,
        online: v.online ?? false,
        source,
        fields: v.fields.map((f) => f.name),
        dtypes: new Map(v.fields.map((f) => [f.name, f.dtype ?? 'String'])),
        file,
      });
    }
  }
  const services = new Map<string, ServiceSpec>();
  for (const { file, model } of models) {
    for (const s of model.services) {
      const features = s.projections.flatMap((p) => {
        const view = views.get(p.view.name);
        if (!view) throw new FeatureDefinitionError(`${file}: feature service ${s.name}: unknown feature view ${p.view.name}`);
        return (p.fields?.map((f) => f.name) ?? view.fields).map((field) => ({ view: view.name, field }));
      });
      services.set(s.name, { name: s.name, features });
    }
  }
  return { views, services, entities };
}

import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { ParsedDocument, WorkspaceView } from '../../../../common/src';
import { formatCursor } from '../../../../common/src/yaml/cursor';
import { findKey } from '../../../../common/src/yaml/keyTable';
import type { EntityDef, Occurrence, ServiceDef, SourceDef, ViewDef } from '../../../../common/src/features/model';
import { sourceOfView } from '../../../../common/src/features/rules/references';
import { FEATURES_KEYS } from '../../../../common/src/features/schema';
import { code, fileName, rangeIn, type WorkspaceEnv } from '../workspaceEnv';
import { featuresContextOf } from './places';
import { occurrenceIn } from './symbols';

const MAX_LISTED = 10;
const MAX_ROWS = 40;

/** Hover in a features file: what an entity, source, view or field is, across the workspace; else the key's documentation. */
export function featuresHover(doc: ParsedDocument, position: Position, env: WorkspaceEnv): Hover | null {
  const offset = doc.text.offsetAt(position);
  const symbol = occurrenceIn(doc, offset);
  if (symbol) {
    const value = describe(symbol, env, doc.uri);
    return value ? { contents: { kind: MarkupKind.Markdown, value }, range: rangeIn(doc.text, symbol) } : null;
  }
  return keyHover(doc, offset);
}

function keyHover(doc: ParsedDocument, offset: number): Hover | null {
  const cursor = formatCursor(doc, offset);
  if (!cursor || cursor.at !== 'key' || !cursor.hasColon) return null;
  const context = featuresContextOf(cursor.path);
  const key = doc.text.getText().slice(cursor.range.start, cursor.range.end);
  const spec = context ? findKey(FEATURES_KEYS[context], key) : undefined;
  if (!spec) return null;
  return { contents: { kind: MarkupKind.Markdown, value: `**${spec.key}**\n\n${spec.doc}` }, range: rangeIn(doc.text, cursor.range) };
}

function describe(symbol: Occurrence, env: WorkspaceEnv, uri: string): string | undefined {
  const ws = env.workspace;
  switch (symbol.kind) {
    case 'entity': {
      const found = ws.definitions('entity', symbol.name)[0];
      return found ? entity(found.def, found.uri, ws) : `no entity named ${code(symbol.name)} in the workspace`;
    }
    case 'view': {
      const found = ws.definitions('view', symbol.name)[0];
      return found ? view(found.def, found.uri, env) : `no feature view named ${code(symbol.name)} in the workspace`;
    }
    case 'source': {
      const found = ws.definitions('source', symbol.name)[0];
      return found ? source(found.def, found.uri, env) : `no source named ${code(symbol.name)} in the workspace`;
    }
    case 'field': {
      const owner = ws.definitions('view', symbol.view ?? '')[0]?.def;
      const field = owner?.fields.find((f) => f.name === symbol.name);
      if (!field) return `feature view ${code(symbol.view ?? '?')} has no field ${code(symbol.name)}`;
      const lines = [`**field** ${code(field.name)}: ${code(field.dtype ?? '?')}`, '', `of feature view ${code(owner!.name)}`];
      if (field.description) lines.push('', field.description);
      return lines.join('\n');
    }
    case 'service': {
      const found = ws.definitions('service', symbol.name)[0];
      return found ? service(found.def, found.uri, uri) : undefined;
    }
  }
}

function where(defUri: string): string {
  return `defined in ${code(fileName(defUri))}`;
}

function entity(def: EntityDef, uri: string, ws: WorkspaceView): string {
  const lines = [
    `**entity** ${code(def.name)}`,
    '',
    `join key ${code(def.joinKey)}${def.valueType ? ` · type ${code(def.valueType)}` : ''}`,
  ];
  if (def.description) lines.push('', def.description);
  const views: string[] = [];
  for (const file of ws.users('entity', def.name)) {
    for (const v of ws.file(file)?.features?.views ?? []) if (v.entities.some((e) => e.name === def.name)) views.push(v.name);
  }
  views.sort();
  lines.push(
    '',
    views.length === 0
      ? 'used by no view'
      : `used by ${views.slice(0, MAX_LISTED).map(code).join(', ')}${views.length > MAX_LISTED ? ` and ${views.length - MAX_LISTED} more` : ''}`,
  );
  lines.push('', where(uri));
  return lines.join('\n');
}

function view(def: ViewDef, uri: string, env: WorkspaceEnv): string {
  const lines = [`**feature view** ${code(def.name)}`];
  if (def.description) lines.push('', def.description);
  const facts = [`entities: ${def.entities.length > 0 ? def.entities.map((e) => code(e.name)).join(', ') : 'none'}`];
  if (def.ttl !== undefined) facts.push(`ttl ${code(def.ttl)}`);
  if (def.online !== undefined) facts.push(def.online ? 'online' : 'offline only');
  const found = sourceOfView(def, uri, env.workspace);
  if (found)
    facts.push(
      `source ${found.source.name ? code(found.source.name) : 'inline'}${found.source.path ? ` (${code(found.source.path.name)})` : ''}`,
    );
  lines.push('', facts.join(' · '));
  if (def.fields.length > 0) {
    lines.push('', '| field | dtype |', '|---|---|');
    for (const f of def.fields.slice(0, MAX_ROWS)) lines.push(`| ${f.name} | ${f.dtype ?? '?'} |`);
    if (def.fields.length > MAX_ROWS) lines.push(`| … ${def.fields.length - MAX_ROWS} more | |`);
  }
  lines.push('', where(uri));
  return lines.join('\n');
}

function source(def: SourceDef, uri: string, env: WorkspaceEnv): string {
  const lines = [`**source** ${code(def.name)}`];
  if (def.description) lines.push('', def.description);
  const facts: string[] = [];
  if (def.path) facts.push(`path ${code(def.path.name)}`);
  if (def.timestampField) facts.push(`timestamp ${code(def.timestampField.name)}`);
  if (def.inlineIn) facts.push(`inline in view ${code(def.inlineIn)}`);
  if (facts.length > 0) lines.push('', facts.join(' · '));
  const data = def.path ? env.context.dataColumns?.(uri, def.path.name) : undefined;
  if (data) {
    lines.push(
      '',
      `columns (${data.format === 'csv' ? 'CSV header; types inferred from the first rows' : 'Parquet schema'}):`,
      '',
      '| column | type |',
      '|---|---|',
    );
    for (const c of data.columns.slice(0, MAX_ROWS)) lines.push(`| ${c.name} | ${c.type} |`);
    if (data.columns.length > MAX_ROWS) lines.push(`| … ${data.columns.length - MAX_ROWS} more | |`);
  } else if (def.path) {
    lines.push('', 'columns: the file could not be read');
  }
  lines.push('', where(uri));
  return lines.join('\n');
}

function service(def: ServiceDef, uri: string, _current: string): string {
  const lines = [`**feature service** ${code(def.name)}`];
  if (def.description) lines.push('', def.description);
  for (const p of def.projections.slice(0, MAX_LISTED))
    lines.push(`- ${code(p.view.name)}${p.fields ? `: ${p.fields.map((f) => code(f.name)).join(', ')}` : ' (every field)'}`);
  lines.push('', where(uri));
  return lines.join('\n');
}

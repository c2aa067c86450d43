import { CompletionItemKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver';
import type { YAMLMap } from 'yaml';
import { scalarText, type ParsedDocument } from '../../../../common/src';
import { ITEM, mapAtPath, presentKeys, type FormatCursor } from '../../../../common/src/yaml/cursor';
import { availableColumns } from '../../../../common/src/features/rules/columns';
import { featuresModel, type SourceDef } from '../../../../common/src/features/model';
import { DTYPES, FEATURES_KEYS } from '../../../../common/src/features/schema';
import { pathList } from '../pathItems';

import { columnItems, formatCompletion, keyTableItems, leadOf, valueItems } from '../completionItems';
import { rangeIn, type WorkspaceEnv } from '../workspaceEnv';
import { featuresContextOf, sourcePath, viewPath } from './places';
import { sourceOfView } from '../../../../common/src/features/rules/references';

/**
 * Completion in a features file: keys, dtypes (with `Array(...)`), entity,
 * source and view names from the whole workspace, field names in
 * projections, and column names from the data files.
 */
export function featuresCompletion(
  doc: ParsedDocument,
  position: Position,
  env: WorkspaceEnv,
  triggerCharacter?: string,
): CompletionList | null {
  return formatCompletion(doc, position, (cursor, offset) => itemsAt(doc, cursor, env, offset, triggerCharacter));
}

function itemsAt(
  doc: ParsedDocument,
  cursor: FormatCursor,
  env: WorkspaceEnv,
  offset: number,
  trigger: string | undefined,
): CompletionItem[] | CompletionList | undefined {
  const range = rangeIn(doc.text, cursor.range);
  const text = doc.text.getText();
  const lead = cursor.at === 'value' && !cursor.flow ? leadOf(text, cursor.range.start) : '';
  const path = cursor.path;
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (cursor.at === 'key') {
    // A bare `- name` item of a list of names.
    if (cursor.dash && last === ITEM && parent === 'entities' && path.length === 4) {
      return names(env, 'entity', range, listed(doc, path.slice(0, -1), offset));
    }
    if (cursor.dash && last === ITEM && parent === 'features' && path[0] === 'feature_services' && path.length === 4) {
      return valueItems(env.workspace.names('view'), range, CompletionItemKind.Class, (v) => detailOfView(env, v));
    }
    if (cursor.dash && last === ITEM && path.length === 6 && path[0] === 'feature_services' && path[2] === 'features') {
      return fieldItems(env, parent!, range);
    }
    if (path.length === 3 && path[2] === 'field_mapping') return sourceColumns(doc, env, path.slice(0, 2), offset, range, lead);
    if (path.length === 4 && path[3] === 'field_mapping') return sourceColumns(doc, env, path.slice(0, 3), offset, range, lead);
    if (trigger === ' ') return undefined;
    const context = featuresContextOf(path);
    if (!context) return undefined;
    const present = presentKeys(mapAtPath(doc.yaml, path, offset), text, offset);
    return keyTableItems(FEATURES_KEYS[context], present, cursor, range);
  }
  const key = cursor.key!;
  if (cursor.at === 'item') {
    if (key === 'entities' && featuresContextOf(path) === 'view') return names(env, 'entity', range, listed(doc, [...path, key], offset));
    if (path[0] === 'feature_services' && path[2] === 'features') return fieldItems(env, key, range);
    return undefined;
  }
  const context = featuresContextOf(path);
  if ((context === 'entity' && key === 'value_type') || (context === 'field' && key === 'dtype')) {
    return valueItems(DTYPES, range, CompletionItemKind.TypeParameter, undefined, lead);
  }
  if (context === 'view' && (key === 'source' || key === 'batch_source')) return names(env, 'source', range, [], lead);
  if (context === 'view' && key === 'online') return valueItems(['true', 'false'], range, CompletionItemKind.EnumMember, undefined, lead);
  if (context === 'source' && key === 'type') return valueItems(['file'], range, CompletionItemKind.EnumMember, undefined, lead);
  if (context === 'source' && (key === 'timestamp_field' || key === 'created_timestamp_column'))
    return sourceColumns(doc, env, sourcePath(path)!, offset, range, lead);
  if (context === 'source' && key === 'path') return pathList(doc, cursor);
  if (context === 'field' && key === 'name') return viewColumns(doc, env, viewPath(path)!, offset, range, lead);
  return undefined;
}

function names(
  env: WorkspaceEnv,
  kind: 'entity' | 'source',
  range: ReturnType<typeof rangeIn>,
  exclude: readonly string[],
  lead = '',
): CompletionItem[] {
  const values = env.workspace.names(kind).filter((n) => !exclude.includes(n));
  return valueItems(
    values,
    range,
    kind === 'entity' ? CompletionItemKind.Struct : CompletionItemKind.Module,
    (name) => {
      const def = env.workspace.definitions(kind, name)[0]?.def;
      if (!def) return undefined;
      return 'joinKey' in def
        ? `join key ${def.joinKey}${def.valueType ? `: ${def.valueType}` : ''}`
        : 'path' in def
          ? def.path?.name
          : undefined;
    },
    lead,
  );
}

function detailOfView(env: WorkspaceEnv, name: string): string | undefined {
  const view = env.workspace.definitions('view', name)[0]?.def;
  return view ? `${view.fields.length} field${view.fields.length === 1 ? '' : 's'}` : undefined;
}

function fieldItems(env: WorkspaceEnv, viewName: string, range: ReturnType<typeof rangeIn>): CompletionItem[] {
  const view = env.workspace.definitions('view', viewName)[0]?.def;
  if (!view) return [];
  return view.fields.map((f, i) => ({
    label: f.name,
    kind: CompletionItemKind.Field,
    ...(f.dtype ? { detail: f.dtype } : {}),
    sortText: String(i).padStart(4, '0'),
    textEdit: { range, newText: f.name },
  }));
}

/** The scalar items of the list at `path` (to leave them out). */
function listed(doc: ParsedDocument, path: readonly string[], offset: number): string[] {
  const owner = mapAtPath(doc.yaml, path.slice(0, -1), offset);
  const list = owner?.get(path[path.length - 1]!, true) as { items?: unknown[] } | undefined;
  return (list?.items ?? []).map(scalarText).filter((n): n is string => n !== undefined);
}

function sourceColumns(
  doc: ParsedDocument,
  env: WorkspaceEnv,
  path: readonly string[],
  offset: number,
  range: ReturnType<typeof rangeIn>,
  lead: string,
): CompletionItem[] | undefined {
  const map = mapAtPath(doc.yaml, path, offset);
  const file = map ? scalarText(map.get('path', true)) : undefined;
  const data = file !== undefined ? env.context.dataColumns?.(doc.uri, file) : undefined;
  return data ? columnItems(data, file!, range, [], [], lead) : undefined;
}

/** Column names (after `field_mapping`) of the source of the view at `path`, less its fields. */
function viewColumns(
  doc: ParsedDocument,
  env: WorkspaceEnv,
  path: readonly string[],
  offset: number,
  range: ReturnType<typeof rangeIn>,
  lead: string,
): CompletionItem[] | undefined {
  const map: YAMLMap | undefined = mapAtPath(doc.yaml, path, offset);
  const name = map ? scalarText(map.get('name', true)) : undefined;
  const view = featuresModel(doc).views.find((v) => v.name === name);
  if (!view) return undefined;
  const found = sourceOfView(view, doc.uri, env.workspace);
  const source: SourceDef | undefined = found?.source;
  if (!found || !source?.path) return undefined;
  const data = env.context.dataColumns?.(found.uri, source.path.name);
  if (!data) return undefined;
  const mapped = [...availableColumns(source, data)].filter((n) => !data.columns.some((c) => c.name === n));
  const skip = [
    ...view.fields.map((f) => f.name),
    ...(source.timestampField ? [source.timestampField.name] : []),
    ...(source.createdTimestampColumn ? [source.createdTimestampColumn.name] : []),
  ];
  return columnItems(data, source.path.name, range, skip, mapped, lead);
}

import { CompletionItemKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver';
import { STAGES, type ParsedDocument } from '../../../../common/src';
import { mapAtPath, presentKeys, type FormatCursor } from '../../../../common/src/yaml/cursor';
import { monitorModel } from '../../../../common/src/monitor/model';
import { DRIFT_METHODS, METHOD_DOCS, MONITOR_KEYS, type MonitorContext } from '../../../../common/src/monitor/schema';
import { pathOfUri, relativePath, resolveFrom } from '../../../../common/src/workspace/uris';
import { pathList } from '../pathItems';

import { columnItems, formatCompletion, keyTableItems, leadOf, valueItems } from '../completionItems';
import { rangeIn, type WorkspaceEnv } from '../workspaceEnv';
import { monitorData } from './dataFiles';

const SECTIONS: readonly MonitorContext[] = ['data_drift', 'performance', 'on_drift'];

/**
 * Completion in a monitor file: keys, drift methods, stages, registered
 * models, columns of the data files, pipeline files for
 * `on_drift.run_pipeline` and that pipeline's params in `on_drift.params`.
 */
export function monitorCompletion(
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
  const text = doc.text.getText();
  const range = rangeIn(doc.text, cursor.range);
  const path = cursor.path.join('/');
  const lead = cursor.at === 'value' && !cursor.flow ? leadOf(text, cursor.range.start) : '';
  if (cursor.at === 'key') {
    if (path === 'on_drift/params')
      return paramItems(doc, env, range, presentKeys(mapAtPath(doc.yaml, cursor.path, offset), text, offset), cursor);
    if ((path === 'columns/[]' || path === 'ignore/[]') && cursor.dash) return columns(doc, env, range, cursor.path[0]!);
    if (trigger === ' ') return undefined;
    const context: MonitorContext | undefined =
      path === '' ? 'top' : (SECTIONS as readonly string[]).includes(path) ? (path as MonitorContext) : undefined;
    if (!context) return undefined;
    return keyTableItems(MONITOR_KEYS[context], presentKeys(mapAtPath(doc.yaml, cursor.path, offset), text, offset), cursor, range);
  }
  const key = cursor.key!;
  if (cursor.at === 'item') return path === '' && (key === 'columns' || key === 'ignore') ? columns(doc, env, range, key) : undefined;
  if (path === 'data_drift' && key === 'method') {
    return DRIFT_METHODS.map((m, i) => ({
      label: m,
      kind: CompletionItemKind.EnumMember,
      documentation: METHOD_DOCS[m],
      sortText: String(i).padStart(2, '0'),
      textEdit: { range, newText: lead + m },
    }));
  }
  if (path === '' && key === 'stage') return valueItems(STAGES, range, CompletionItemKind.EnumMember, undefined, lead);
  if (path === '' && key === 'model')
    return valueItems([...new Set(env.registeredModels)], range, CompletionItemKind.Module, () => 'registered model', lead);
  if (path === 'on_drift' && key === 'notify') return valueItems(['true', 'false'], range, CompletionItemKind.EnumMember, undefined, lead);
  if (path === 'on_drift' && key === 'run_pipeline') return pipelineItems(doc, env, range, lead);
  if ((path === '' && (key === 'reference' || key === 'current')) || (path === 'performance' && key === 'current_metrics')) {
    return pathList(doc, cursor);
  }
  return undefined;
}

function columns(doc: ParsedDocument, env: WorkspaceEnv, range: ReturnType<typeof rangeIn>, key: string): CompletionItem[] | undefined {
  const model = monitorModel(doc);
  const listed = (key === 'columns' ? model.columns : model.ignore).map((c) => c.name);
  const files = monitorData(doc, env);
  if (files.length === 0) return undefined;
  const [first, ...others] = files;
  const extra = others.flatMap((f) => f.data.columns.map((c) => c.name));
  return columnItems(first!.data, first!.path, range, listed, extra);
}

function pipelineItems(doc: ParsedDocument, env: WorkspaceEnv, range: ReturnType<typeof rangeIn>, lead: string): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const p of env.workspace.pipelines()) {
    const target = pathOfUri(p.uri);
    const path = target !== undefined ? relativePath(doc.uri, target) : undefined;
    if (path === undefined) continue;
    out.push({
      label: path,
      kind: CompletionItemKind.File,
      ...(p.def.name ? { detail: `pipeline ${p.def.name}` } : {}),
      ...(p.def.description ? { documentation: p.def.description } : {}),
      textEdit: { range, newText: lead + path },
    });
  }
  return out.sort((a, b) => a.label.split('/').length - b.label.split('/').length || a.label.localeCompare(b.label));
}

function paramItems(
  doc: ParsedDocument,
  env: WorkspaceEnv,
  range: ReturnType<typeof rangeIn>,
  present: readonly string[],
  cursor: FormatCursor,
): CompletionItem[] | undefined {
  const ref = monitorModel(doc).runPipeline;
  const path = ref ? resolveFrom(doc.uri, ref.name) : undefined;
  const pipeline = path !== undefined ? env.workspace.pipelineAt(path) : undefined;
  if (!pipeline) return undefined;
  return pipeline.def.params
    .filter((p) => !present.includes(p.name))
    .map((p, i) => ({
      label: p.name,
      kind: CompletionItemKind.Variable,
      detail: p.type,
      ...(p.description ? { documentation: p.description } : {}),
      sortText: String(i).padStart(4, '0'),
      textEdit: { range, newText: cursor.hasColon ? p.name : `${p.name}: ` },
    }));
}

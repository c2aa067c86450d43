import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { ParsedDocument, Span } from '../../../../common/src';
import { formatCursor } from '../../../../common/src/yaml/cursor';
import { findKey } from '../../../../common/src/yaml/keyTable';
import { monitorModel } from '../../../../common/src/monitor/model';
import { DRIFT_METHODS, METHOD_DOCS, MONITOR_KEYS, type MonitorContext } from '../../../../common/src/monitor/schema';
import { CSV_SAMPLE_ROWS } from '../../../../common/src/node/dataColumns';
import { code, fileName, rangeIn, type WorkspaceEnv } from '../workspaceEnv';
import { monitorData } from './dataFiles';
import { hit, pipelineOf, within } from './navigation';

/** Hover in a monitor file: a column's type as read from the data, the pipeline `on_drift` runs, a method, a key. */
export function monitorHover(doc: ParsedDocument, position: Position, env: WorkspaceEnv): Hover | null {
  const offset = doc.text.offsetAt(position);
  const model = monitorModel(doc);
  const answer = (span: Span, value: string): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: rangeIn(doc.text, span) });
  const column = hit(model.columns, offset) ?? hit(model.ignore, offset);
  if (column) return answer(column, columnDoc(doc, env, column.name));
  if (model.runPipeline && within(model.runPipeline, offset)) {
    const pipeline = pipelineOf(doc.uri, model, env);
    if (!pipeline) return answer(model.runPipeline, `no pipeline file ${code(model.runPipeline.name)} in the workspace`);
    const lines = [`**pipeline** ${code(pipeline.def.name ?? fileName(pipeline.uri))}`];
    if (pipeline.def.description) lines.push('', pipeline.def.description);
    lines.push(
      '',
      `params: ${pipeline.def.params.length > 0 ? pipeline.def.params.map((p) => `${code(p.name)} (${p.type})`).join(', ') : 'none'}`,
    );
    return answer(model.runPipeline, lines.join('\n'));
  }
  if (model.method && within(model.method, offset) && (DRIFT_METHODS as readonly string[]).includes(model.method.name)) {
    return answer(model.method, `**${model.method.name}**\n\n${METHOD_DOCS[model.method.name as (typeof DRIFT_METHODS)[number]]}`);
  }
  const cursor = formatCursor(doc, offset);
  if (!cursor || cursor.at !== 'key' || !cursor.hasColon) return null;
  const path = cursor.path.join('/');
  const context: MonitorContext | undefined =
    path === '' ? 'top' : ['data_drift', 'performance', 'on_drift'].includes(path) ? (path as MonitorContext) : undefined;
  const key = doc.text.getText().slice(cursor.range.start, cursor.range.end);
  const spec = context ? findKey(MONITOR_KEYS[context], key) : undefined;
  return spec ? answer(cursor.range, `**${spec.key}**\n\n${spec.doc}`) : null;
}

function columnDoc(doc: ParsedDocument, env: WorkspaceEnv, name: string): string {
  const files = monitorData(doc, env);
  for (const { path, data } of files) {
    const column = data.columns.find((c) => c.name === name);
    if (!column) continue;
    const how = data.inferred
      ? `inferred from the first ${CSV_SAMPLE_ROWS} rows of ${code(path)}`
      : `from the Parquet schema of ${code(path)}`;
    return `**column** ${code(name)}: ${code(column.type)}\n\n${how}`;
  }
  return files.length > 0 ? `**column** ${code(name)}: not in ${files.map((f) => code(f.path)).join(' or ')}` : `**column** ${code(name)}`;
}

import { MarkupKind, type Hover, type Location, type Position } from 'vscode-languageserver';
import type { ParsedDocument, Span } from '../../../../common/src';
import { formatCursor } from '../../../../common/src/format/cursor';
import { findKey } from '../../../../common/src/format/keyTable';
import type { Named } from '../../../../common/src/features/model';
import { monitorModel, type MonitorModel } from '../../../../common/src/monitor/model';
import { DRIFT_METHODS, METHOD_DOCS, MONITOR_KEYS, type MonitorContext } from '../../../../common/src/monitor/schema';
import { CSV_SAMPLE_ROWS } from '../../../../common/src/node/dataColumns';
import { resolveFrom } from '../../../../common/src/workspace/uris';
import { code, fileName, rangeIn, type WorkspaceEnv } from '../workspaceEnv';
import { monitorData } from './dataFiles';

const within = (span: Span, offset: number) => span.start <= offset && offset <= span.end;

function hit(list: readonly Named[], offset: number): Named | undefined {
  return list.find((n) => within(n, offset));
}

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
  const cursor = formatCursor(doc.text.getText(), offset);
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

function pipelineOf(uri: string, model: MonitorModel, env: WorkspaceEnv) {
  const path = model.runPipeline ? resolveFrom(uri, model.runPipeline.name) : undefined;
  return path !== undefined ? env.workspace.pipelineAt(path) : undefined;
}

/** `run_pipeline` goes to the pipeline file; an `on_drift.params` key to that pipeline's param. */
export function monitorDefinition(doc: ParsedDocument, position: Position, env: WorkspaceEnv): Location | null {
  const offset = doc.text.offsetAt(position);
  const model = monitorModel(doc);
  const pipeline = pipelineOf(doc.uri, model, env);
  if (!pipeline) return null;
  const text = env.summary(pipeline.uri)?.text;
  if (model.runPipeline && within(model.runPipeline, offset))
    return { uri: pipeline.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const key = hit(model.params, offset);
  const param = key && pipeline.def.params.find((p) => p.name === key.name);
  return param && text ? { uri: pipeline.uri, range: rangeIn(text, param) } : null;
}

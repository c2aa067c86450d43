import type { Location, Position } from 'vscode-languageserver';
import type { ParsedDocument, Span } from '../../../../common/src';
import type { Named } from '../../../../common/src/features/model';
import { monitorModel, type MonitorModel } from '../../../../common/src/monitor/model';
import { resolveFrom } from '../../../../common/src/workspace/uris';
import { rangeIn, type WorkspaceEnv } from '../workspaceEnv';

export const within = (span: Span, offset: number) => span.start <= offset && offset <= span.end;

export function hit(list: readonly Named[], offset: number): Named | undefined {
  return list.find((n) => within(n, offset));
}

/** The pipeline that `on_drift.run_pipeline` names, from the workspace index. */
export function pipelineOf(uri: string, model: MonitorModel, env: WorkspaceEnv) {
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

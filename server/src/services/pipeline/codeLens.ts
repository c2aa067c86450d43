import type { CodeLens } from 'vscode-languageserver';
import { pipelineModel, type ParsedDocument } from '../../../../common/src';
import { Commands } from '../../../../common/src/ids/commands';

/** "Run pipeline" and "Show graph" on the `pipeline:` line, "Run step" on each step. */
export function codeLenses(doc: ParsedDocument): CodeLens[] {
  const model = pipelineModel(doc);
  const root = model.root;
  if (!root) return [];
  const text = doc.text;
  const lineRange = (offset: number) => {
    const start = text.positionAt(offset);
    return { start, end: start };
  };
  const out: CodeLens[] = [];
  const namePair = root.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'pipeline');
  const nameStart = (namePair?.key as { range?: [number, number, number] } | null)?.range?.[0];
  if (nameStart !== undefined) {
    out.push({
      range: lineRange(nameStart),
      command: { title: '$(play) Run pipeline', command: Commands.runPipeline, arguments: [doc.uri] },
    });
    out.push({
      range: lineRange(nameStart),
      command: { title: '$(type-hierarchy) Show graph', command: Commands.showPipelineGraph, arguments: [doc.uri] },
    });
  }
  for (const step of model.steps.values()) {
    out.push({
      range: lineRange(step.start),
      command: { title: '$(play) Run step', command: Commands.runStep, arguments: [doc.uri, step.name] },
    });
  }
  return out;
}

import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { pipelineModel, type OutputDecl } from '../model';
import { fromPipelineFolder, isLiteralPath } from '../paths';
import { Report, valueSpan } from './report';

/** `output-conflict`: two outputs (of two steps, or one) that write the same path. */
export function pipelineOutputsRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const model = pipelineModel(doc);
  const report = new Report();
  const byPath = new Map<string, OutputDecl[]>();
  for (const step of model.steps.values()) {
    for (const output of step.outputs.values()) {
      if (output.path === undefined || !isLiteralPath(output.path)) continue;
      const key = fromPipelineFolder(step.workdir, output.path);
      const list = byPath.get(key);
      if (list) list.push(output);
      else byPath.set(key, [output]);
    }
  }
  for (const [path, outputs] of byPath) {
    if (outputs.length < 2) continue;
    for (const output of outputs) {
      const others = outputs.filter((o) => o !== output);
      const names = others.map((o) => `\`${o.step}.${o.name}\``).join(', ');
      report.add('output-conflict', valueSpan(output.pathNode, output.pair), `\`${path}\` is also written by ${names}; give each output its own path`, {
        related: others.map((o) => ({ start: o.pathNode?.range?.[0] ?? o.start, end: o.pathNode?.range?.[1] ?? o.end, message: `${o.step}.${o.name} writes ${path}` })),
      });
    }
  }
  return report.diagnostics;
}

import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { pipelineModel, type OutputDecl } from '../model';
import { outputWriters } from '../outputPaths';
import { Report, valueSpan } from '../../yaml/report';

/** How many other writers a message names, and how many a diagnostic links as related information. */
const NAMED_OTHERS = 3;
const RELATED_OTHERS = 5;

/**
 * `output-conflict`: two outputs (of two steps, or one) that write the same
 * path. With many writers of one path each diagnostic names a few others, so
 * that the work and the messages grow linearly, not with the square.
 */
export function pipelineOutputsRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const model = pipelineModel(doc);
  const report = new Report();
  for (const [path, outputs] of outputWriters(model).shared()) {
    for (const output of outputs) {
      const others = firstOthers(outputs, output, RELATED_OTHERS);
      const named = others
        .slice(0, NAMED_OTHERS)
        .map((o) => `\`${o.step}.${o.name}\``)
        .join(', ');
      const more = outputs.length - 1 - Math.min(others.length, NAMED_OTHERS);
      report.add(
        'output-conflict',
        valueSpan(output.pathNode, output.pair),
        `\`${path}\` is also written by ${named}${more > 0 ? ` and ${more} more` : ''}; give each output its own path`,
        {
          related: others.map((o) => ({
            start: o.pathNode?.range?.[0] ?? o.start,
            end: o.pathNode?.range?.[1] ?? o.end,
            message: `${o.step}.${o.name} writes ${path}`,
          })),
        },
      );
    }
  }
  return report.diagnostics;
}

/** The first `limit` outputs of `outputs` other than `self`, in document order. */
function firstOthers(outputs: readonly OutputDecl[], self: OutputDecl, limit: number): OutputDecl[] {
  const others: OutputDecl[] = [];
  for (const o of outputs) {
    if (others.length === limit) break;
    if (o !== self) others.push(o);
  }
  return others;
}

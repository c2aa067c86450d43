import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { shortestPath, stronglyConnected, successors } from '../dag';
import { pipelineModel, type PipelineModel } from '../model';
import { PartResults } from '../partResults';
import { isStepPart } from '../stepModel';
import { Report } from '../../yaml/report';

/**
 * `cycle`: reported on every edge that takes part (each `needs` entry and
 * each `steps.X` reference inside a cycle), with the whole cycle in the message.
 */
export function pipelineCycleRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const model = pipelineModel(doc);
  const report = new Report();
  if (forwardOnly(model)) return report.diagnostics;
  const next = successors(model);
  const cyclic = new Map<string, Set<string>>();
  for (const component of stronglyConnected(next)) {
    if (component.length > 1) {
      const members = new Set(component);
      for (const id of component) cyclic.set(id, members);
    }
  }
  for (const edge of model.edges) {
    if (!model.steps.has(edge.from) || !model.steps.has(edge.to)) continue;
    if (edge.from === edge.to) {
      const message =
        edge.kind === 'needs'
          ? `cycle: step \`${edge.to}\` needs itself (${edge.to} -> ${edge.to}); remove this entry`
          : `cycle: step \`${edge.to}\` reads its own output (${edge.to} -> ${edge.to}); use \`\${{ outputs.NAME }}\` inside a step`;
      report.add('cycle', edge, message);
      continue;
    }
    const members = cyclic.get(edge.from);
    if (!members || !members.has(edge.to)) continue;
    const back = shortestPath(next, edge.to, edge.from, members) ?? [edge.to, edge.from];
    const cycle = [edge.from, ...back];
    report.add('cycle', edge, `dependency cycle: ${cycle.join(' -> ')}; remove one of these dependencies`);
  }
  return report.diagnostics;
}

/** Whether every edge of a step part comes from a step before it (or from no step). */
const FORWARD = new PartResults<boolean>();

/**
 * Whether every edge between declared steps runs from a step to a later one
 * in the file: then there is no cycle, which is the usual case and settles
 * the rule without building the graph.
 */
function forwardOnly(model: PipelineModel): boolean {
  const names = model.steps.keys();
  const seen = new Set<string>();
  // One pass over the uses, in document order, when every step part declares the next name of
  // model.steps (no repeated names): a step used before it is declared, or by itself, is not forward.
  // This costs about as much as looking the per-part results up, and needs no recomputing when a step
  // is added or deleted (which changes the declarations every per-part result is kept for).
  for (const part of model.parts) {
    if (!isStepPart(part)) continue;
    if (names.next().value !== part.decl.name) return forwardByParts(model);
    for (const use of part.uses) if (use.kind === 'step' && !seen.has(use.name) && model.steps.has(use.name)) return false;
    seen.add(part.decl.name);
  }
  return names.next().done === true || forwardByParts(model);
}

/** forwardOnly with per-part results, for steps with repeated names. */
function forwardByParts(model: PipelineModel): boolean {
  let order: Map<string, number> | undefined;
  let index = 0;
  for (const part of model.parts) {
    if (!isStepPart(part)) continue;
    const at = index++;
    const forward = FORWARD.of(model, part, () => {
      order ??= new Map([...model.steps.keys()].map((name, i) => [name, i]));
      return part.edges.every((edge) => (order!.get(edge.from) ?? -1) < at);
    });
    if (!forward) return false;
  }
  return true;
}

import type { PipelineModel } from '../../../../../common/src';
import { downstreamOf, successors } from '../../../../../common/src/pipeline/dag';

/** Built once per parsed version: the step graph's adjacency and the steps in file order. */
interface StepIndex {
  readonly next: Map<string, Set<string>>;
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

const cache = new WeakMap<PipelineModel, StepIndex>();

function stepIndex(model: PipelineModel): StepIndex {
  let entry = cache.get(model);
  if (!entry) {
    const names = [...model.steps.keys()];
    entry = { next: successors(model), names, index: new Map(names.map((n, i) => [n, i])) };
    cache.set(model, entry);
  }
  return entry;
}

/**
 * `downstreamOf` (the step and every step after it in the graph) on an
 * adjacency built once per version, so a request costs only the walk.
 */
export function downstream(model: PipelineModel, step: string): Set<string> {
  return downstreamOf(model, step, stepIndex(model).next);
}

/** The step ids in file order, and each one's position. */
export function stepOrder(model: PipelineModel): { readonly names: readonly string[]; readonly index: ReadonlyMap<string, number> } {
  return stepIndex(model);
}

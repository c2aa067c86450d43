import { existsSync } from 'node:fs';
import type { PipelinePlan } from './plan';
import { outputPath } from './scope';
import type { StepSummary } from './types';

/**
 * The steps a run goes through, in plan order: all of them, or the requested
 * ones plus every step they need (transitively) whose outputs are missing.
 */
export function selectSteps(plan: PipelinePlan, requested?: readonly string[]): string[] {
  if (!requested || requested.length === 0) return [...plan.steps];
  const unknown = requested.filter((id) => !plan.byId.has(id));
  if (unknown.length > 0) throw new Error(`no step ${unknown.join(', ')} in ${plan.name}; its steps are ${plan.steps.join(', ')}`);
  const chosen = new Set<string>();
  const visit = (id: string, asked: boolean) => {
    if (chosen.has(id)) return;
    const step = plan.byId.get(id)!;
    const missing = step.outputs.some((o) => !existsSync(outputPath(step, o.name)!));
    if (!asked && !missing) return;
    chosen.add(id);
    for (const need of step.needs) visit(need, false);
  };
  for (const id of requested) visit(id, true);
  return plan.steps.filter((id) => chosen.has(id));
}

/**
 * Runs `execute` for each step once every step it needs (among `steps`) has
 * succeeded, at most `parallel` at a time, ready steps in plan order. A
 * failure skips the steps downstream of it and lets running siblings finish;
 * after an abort nothing new starts.
 */
export async function schedule(
  plan: PipelinePlan,
  steps: readonly string[],
  parallel: number,
  signal: AbortSignal,
  execute: (id: string) => Promise<StepSummary>,
  skip: (id: string, status: 'SKIPPED' | 'CANCELLED', why: string) => Promise<StepSummary>,
): Promise<StepSummary[]> {
  const selected = new Set(steps);
  const waitingOn = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  // Needs not yet succeeded, per step: a step is ready at 0. Counting keeps a 1,000-step run linear.
  const unmet = new Map<string, number>();
  for (const id of steps) {
    const needs = [...new Set(plan.byId.get(id)!.needs.filter((n) => selected.has(n)))];
    waitingOn.set(id, needs);
    unmet.set(id, needs.length);
    for (const need of needs) dependents.set(need, [...(dependents.get(need) ?? []), id]);
  }
  const results = new Map<string, StepSummary>();
  const pending = [...steps];
  const running = new Map<string, Promise<void>>();
  // Whether a step ended without success since the last look for steps to skip.
  let unsuccessful = false;

  const settle = (summary: StepSummary) => {
    results.set(summary.step, summary);
    if (summary.status === 'SUCCEEDED') for (const d of dependents.get(summary.step) ?? []) unmet.set(d, unmet.get(d)! - 1);
    else unsuccessful = true;
  };
  while (pending.length > 0 || running.size > 0) {
    // Skip what can no longer run: a step whose needed step did not succeed, everything after an abort.
    for (let i = 0; (signal.aborted || unsuccessful) && i < pending.length; i++) {
      const id = pending[i]!;
      const failedNeed = waitingOn.get(id)!.find((n) => results.has(n) && results.get(n)!.status !== 'SUCCEEDED');
      if (signal.aborted || failedNeed) {
        pending.splice(i, 1);
        settle(
          signal.aborted
            ? await skip(id, 'CANCELLED', 'cancelled before it started')
            : await skip(
                id,
                'SKIPPED',
                `needs ${failedNeed}, which ${results.get(failedNeed!)!.status === 'CANCELLED' ? 'was cancelled' : 'did not succeed'}`,
              ),
        );
        // A skip can unblock the check of a later step: start over.
        i = -1;
      }
    }
    unsuccessful = false;
    while (!signal.aborted && running.size < parallel) {
      const index = pending.findIndex((id) => unmet.get(id) === 0);
      if (index === -1) break;
      const id = pending.splice(index, 1)[0]!;
      running.set(
        id,
        execute(id).then((summary) => {
          settle(summary);
          running.delete(id);
        }),
      );
    }
    if (running.size === 0) {
      if (pending.length === 0) break;
      // Nothing runs and nothing is ready: only an abort or a skip can get here, and the loop above handles both.
      if (!signal.aborted && pending.every((id) => waitingOn.get(id)!.some((n) => !results.has(n)))) {
        throw new Error(`internal error: steps ${pending.join(', ')} wait on steps that never ran`);
      }
      continue;
    }
    await Promise.race(running.values());
  }
  return steps.map((id) => results.get(id)!);
}

import type { PipelineGraph } from '../../../../common/src/pipeline/graph';
import type { GraphRunState, NodeRun, NodeState, RunChoice } from '../../../../common/src/protocol/graphMessages';
import type { Run, StepRecord } from '../tracking/repository';

const STATES: Record<StepRecord['status'], NodeState> = {
  PENDING: 'pending',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  CANCELLED: 'cancelled',
};

/** A run as the picker lists it. */
export function runChoice(run: Run): RunChoice {
  return {
    runId: run.info.run_id,
    name: run.info.run_name,
    status: run.info.status,
    ...(run.info.start_time !== undefined ? { startTime: run.info.start_time } : {}),
  };
}

/**
 * What each node of the graph shows of one run. `retries` comes from the file as it is now (the run
 * records attempts, not the limit); `runNames` names the runs cached steps came from.
 */
export function nodeRun(step: StepRecord, maxAttempts: number, runNames: ReadonlyMap<string, string>): NodeRun {
  const cached = step.cached && step.status === 'SUCCEEDED';
  const state: NodeState = cached ? 'cached' : STATES[step.status];
  const attempt = step.attempts;
  // Show the attempt while a step may retry, or when it did (the file may have changed since).
  const showAttempt = attempt !== undefined && attempt > 0 && !cached && (maxAttempts > 1 || attempt > 1);
  const cachedFrom = cached && step.cached_from ? step.cached_from : undefined;
  const runName = cachedFrom ? runNames.get(cachedFrom) : undefined;
  return {
    state,
    ...(step.start_time !== undefined ? { startTime: step.start_time } : {}),
    ...(step.end_time !== undefined && step.start_time !== undefined ? { endTime: step.end_time } : {}),
    ...(showAttempt ? { attempt, maxAttempts: Math.max(maxAttempts, attempt) } : {}),
    ...(cachedFrom ? { cachedFrom: { runId: cachedFrom, ...(runName ? { runName } : {}) } } : {}),
    ...(step.message && (state === 'failed' || state === 'skipped' || state === 'cancelled') ? { message: step.message } : {}),
    ...(step.exit_code !== undefined && step.exit_code !== 0 ? { exitCode: step.exit_code } : {}),
    hasLog: step.log_path !== undefined || step.step_run_id !== undefined || cachedFrom !== undefined,
  };
}

/** Every edge at or below a failed step: the part of the graph that a failure cut off. */
export function mutedEdges(graph: PipelineGraph, failed: Iterable<string>): { from: string; to: string }[] {
  const out = new Map<string, { from: string; to: string }[]>();
  for (const edge of graph.edges) {
    const list = out.get(edge.from) ?? [];
    list.push({ from: edge.from, to: edge.to });
    out.set(edge.from, list);
  }
  const seen = new Set<string>();
  const muted: { from: string; to: string }[] = [];
  const queue = [...failed];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of out.get(id) ?? []) {
      muted.push(edge);
      queue.push(edge.to);
    }
  }
  return muted;
}

/** The graph's view of a run: a node state per recorded step, and the edges a failure muted. */
export function graphRunState(
  graph: PipelineGraph,
  run: Run,
  steps: readonly StepRecord[],
  runNames: ReadonlyMap<string, string>,
  now: number,
): GraphRunState {
  const retries = new Map(graph.nodes.map((n) => [n.id, n.retries]));
  const nodes: Record<string, NodeRun> = {};
  for (const step of steps) nodes[step.step_id] = nodeRun(step, (retries.get(step.step_id) ?? 0) + 1, runNames);
  const failed = steps.filter((s) => s.status === 'FAILED').map((s) => s.step_id);
  return {
    run: { ...runChoice(run), ...(run.info.end_time !== undefined ? { endTime: run.info.end_time } : {}) },
    steps: nodes,
    mutedEdges: mutedEdges(graph, failed),
    now,
  };
}

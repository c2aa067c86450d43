import type { NodeRun } from '../../../common/src/protocol/graphMessages';

/** `0.4 s`, `12.3 s`, `3m 05s`, `2h 10m`; whole seconds while the step runs (the line ticks once a second). */
export function formatElapsed(ms: number, ticking = false): string {
  const clamped = Math.max(0, ms);
  const s = clamped / 1000;
  if (s < 60) return ticking ? `${Math.floor(s)} s` : `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** The elapsed time of a step: to its end, or to `now` while it runs. */
export function elapsedOf(step: NodeRun, now: number): string | undefined {
  if (step.startTime === undefined) return undefined;
  if (step.endTime !== undefined) return formatElapsed(step.endTime - step.startTime);
  return step.state === 'running' ? formatElapsed(now - step.startTime, true) : undefined;
}

/** The second line of a node: `running · 12 s · attempt 2/3`, `cached from eager-owl-12`, `failed · exit 1 · 0.4 s`. */
export function stateLine(step: NodeRun, now: number): string {
  if (step.state === 'cached') return `cached from ${step.cachedFrom?.runName ?? step.cachedFrom?.runId.slice(0, 8) ?? 'an earlier run'}`;
  const parts: string[] = [step.state];
  if (step.exitCode !== undefined) parts.push(`exit ${step.exitCode}`);
  const elapsed = elapsedOf(step, now);
  if (elapsed) parts.push(elapsed);
  if (step.attempt !== undefined && step.maxAttempts !== undefined) parts.push(`attempt ${step.attempt}/${step.maxAttempts}`);
  return parts.join(' · ');
}

/** What a screen reader says of a node. */
export function nodeLabel(id: string, step: NodeRun | undefined, now: number): string {
  return step ? `Step ${id}: ${stateLine(step, now)}` : `Step ${id}`;
}

import { formatMs } from './stepExecution';
import type { RunResult } from './types';

/** The end-of-run table (step, status, duration, cached), as plain text lines for the terminal and the CLI. */
export function formatSummary(result: RunResult): string[] {
  const rows = result.steps.map((s) => [
    s.step,
    s.status,
    s.cachedFrom ? '-' : formatMs(s.durationMs),
    s.cachedFrom ? `yes (run ${s.cachedFrom.slice(0, 8)})` : 'no',
  ]);
  const header = ['step', 'status', 'duration', 'cached'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const metrics = Object.entries(result.metrics).sort(([a], [b]) => a.localeCompare(b));
  if (metrics.length > 0) out.push('', `metrics: ${metrics.map(([k, v]) => `${k}=${formatMetric(v)}`).join('  ')}`);
  if (result.registered) {
    const r = result.registered;
    out.push(`registered: ${r.model} version ${r.version}${r.stage ? ` (${r.stage})` : ''}${r.alias ? ` @${r.alias}` : ''}`);
  } else if (result.registerSkipped) out.push(`not registered: ${result.registerSkipped}`);
  out.push(`run ${result.runName} (${result.runId}) ${result.status} in ${formatMs(result.durationMs)}`);
  return out;
}

export function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

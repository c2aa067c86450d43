import type { Metric } from '../tracking/repository';

/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One metric's full histories as CSV: a row per point, run by run, in step order. */
export function metricsCsv(key: string, histories: readonly { runId: string; runName: string; metrics: readonly Metric[] }[]): string {
  const lines = ['run_id,run_name,key,step,timestamp,value'];
  for (const h of histories) {
    const prefix = `${csvField(h.runId)},${csvField(h.runName)},${csvField(key)}`;
    for (const m of h.metrics) lines.push(`${prefix},${m.step},${m.timestamp},${m.value}`);
  }
  return `${lines.join('\n')}\n`;
}

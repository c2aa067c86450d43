import type { MonitorColumnResult } from '../../../../common/src/monitor/result';
import { textTable } from '../text/textTable';

/** A statistic or p-value for people: 4 decimals, tiny values in exponent form; null (an infinite χ² in JSON) as ∞. */
export function formatFigure(x: number | null | undefined): string {
  if (x === null || x === undefined) return '∞';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(2);
  return x.toFixed(4);
}

/** What a column's row shows; the drift report's columns have these fields too (with plain numbers). */
export type DriftColumnRow = Pick<MonitorColumnResult, 'column' | 'method' | 'statistic' | 'measure' | 'value' | 'threshold' | 'drift'>;

/** The per-column table of `mlops drift` and `mlops monitor`, as lines; none when there are no columns. */
export function driftColumnLines(columns: readonly DriftColumnRow[]): string[] {
  if (columns.length === 0) return [];
  const rows = columns.map((c) => [
    c.column,
    c.method,
    formatFigure(c.statistic),
    `${c.measure === 'p_value' ? 'p' : 'd'}=${formatFigure(c.value)}`,
    `${c.measure === 'p_value' ? '<' : '>='} ${c.threshold}`,
    c.drift ? 'DRIFT' : 'ok',
  ]);
  return textTable(['column', 'method', 'statistic', 'p-value/distance', 'threshold', 'drift'], rows);
}

/** `Reference: a.csv (2000 rows)  Current: b.csv (500 rows)`; several current files are counted. */
export function filesLine(reference: string, referenceRows: number, current: readonly string[], currentRows: number): string {
  const files = current.length === 1 ? current[0]! : `${current.length} files`;
  return `Reference: ${reference} (${referenceRows} rows)  Current: ${files} (${currentRows} rows)`;
}

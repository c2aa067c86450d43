// What a metric chart looks like, decided from its data alone (no DOM, no chart.js): a bar per run
// when every run logged one value, points drawn on the line when there are few, a plain line
// otherwise; how values are written on bars and in the summary; which keys a filter keeps.

/** A run's series with at most this many points draws its points (a dot on each), not just the line. */
export const FEW_POINTS = 10;

/** The metric filter box is shown when the panel has more metric keys than this. */
export const FILTER_FROM_KEYS = 6;

/** How a chart draws: `bar` (one value per run), `points` (a line through visible points), `line`. */
export type ChartKind = 'bar' | 'points' | 'line';

/** The kind of a chart whose runs have series of these lengths (runs without points are left out). */
export function chartKind(lengths: readonly number[]): ChartKind {
  const drawn = lengths.filter((n) => n > 0);
  if (drawn.length === 0) return 'line';
  if (drawn.every((n) => n === 1)) return 'bar';
  return drawn.every((n) => n <= FEW_POINTS) ? 'points' : 'line';
}

/** The radius of a series' points: visible when the series has few points (a lone point is never invisible). */
export function pointRadius(length: number): number {
  return length <= FEW_POINTS ? 3 : 0;
}

/** A metric value for a bar label or the summary: four significant digits, exponent when huge or tiny. */
export function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(4)));
}

/**
 * The keys a filter keeps: every whitespace-separated term must occur in the key (case-insensitive);
 * an empty filter keeps them all.
 */
export function filterKeys(keys: readonly string[], filter: string): string[] {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return keys.filter((key) => {
    const lower = key.toLowerCase();
    return terms.every((t) => lower.includes(t));
  });
}

/** One row of the summary: a run and its latest value of each key ('' where it logged none). */
export interface SummaryRow {
  runId: string;
  values: string[];
}

/** The summary table: a row per run, a column per key, latest values formatted. */
export function summaryRows(
  runs: readonly { runId: string; latest?: Readonly<Record<string, number | string>> }[],
  keys: readonly string[],
): SummaryRow[] {
  return runs.map((run) => ({
    runId: run.runId,
    values: keys.map((key) => {
      const value = run.latest?.[key];
      return value === undefined ? '' : formatValue(value);
    }),
  }));
}

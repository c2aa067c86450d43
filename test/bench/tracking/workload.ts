// The benchmark's rows: 1,000,000 metric points on one run, 1,000 per batch, ten keys, as a training
// loop logs them. Every contender inserts exactly these rows.

export const TOTAL_POINTS = 1_000_000;
export const BATCH_SIZE = 1_000;
export const BATCHES = TOTAL_POINTS / BATCH_SIZE;
const KEYS = Array.from({ length: 10 }, (_, i) => `metric_${i}`);
const T0 = 1_700_000_000_000;

export interface Point {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** Batch `b` (0-based): keys cycle fastest, so each batch holds 100 steps of all ten keys. */
export function batch(b: number): Point[] {
  const points: Point[] = new Array(BATCH_SIZE);
  for (let i = 0; i < BATCH_SIZE; i++) {
    const n = b * BATCH_SIZE + i;
    const step = Math.floor(n / KEYS.length);
    points[i] = { key: KEYS[n % KEYS.length] ?? '', value: Math.sin(n) * 100, timestamp: T0 + step, step };
  }
  return points;
}

/** The latest value per key of a batch (steps only grow here, so the last one), as latest_metrics keeps it. */
export function latestOf(points: Point[]): Point[] {
  const latest = new Map<string, Point>();
  for (const p of points) latest.set(p.key, p);
  return [...latest.values()];
}

export const formatRate = (points: number, ms: number) => `${Math.round((points / ms) * 1000).toLocaleString('en-US')} points/s`;
export const formatMs = (ms: number) => `${ms.toFixed(1)} ms`;
export const formatMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

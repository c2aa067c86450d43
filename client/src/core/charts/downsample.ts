// Downsampling of an x-ordered series for charts, without vscode. The store downsamples histories
// itself (repository/metricSeries.ts, min/max per bucket in SQL); these are the same ideas for
// series already in memory: points appended live, or data a drift report computes.

export interface XY {
  x: number;
  y: number;
}

/**
 * Min/max per bucket: the range of x is cut into `maxPoints / 2 - 1` equal buckets, each keeps its
 * lowest and highest point, and the first and last point stay. Every extreme of the input survives
 * in its bucket; the output keeps the input's order. Input shorter than `maxPoints` comes back as is.
 */
export function minMaxDownsample<P extends XY>(points: readonly P[], maxPoints: number): P[] {
  if (points.length <= maxPoints || maxPoints < 4) return points.slice();
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const buckets = Math.floor(maxPoints / 2) - 1;
  const span = last.x - first.x;
  const lows: (number | undefined)[] = new Array(buckets);
  const highs: (number | undefined)[] = new Array(buckets);
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const b = span > 0 ? Math.min(buckets - 1, Math.floor(((p.x - first.x) / span) * buckets)) : Math.floor((i / points.length) * buckets);
    const lo = lows[b];
    const hi = highs[b];
    if (lo === undefined || p.y < points[lo]!.y) lows[b] = i;
    if (hi === undefined || p.y > points[hi]!.y) highs[b] = i;
  }
  const keep = new Set<number>([0, points.length - 1]);
  for (let b = 0; b < buckets; b++) {
    if (lows[b] !== undefined) keep.add(lows[b]!);
    if (highs[b] !== undefined) keep.add(highs[b]!);
  }
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}

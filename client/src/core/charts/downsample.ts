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

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last point and, per bucket,
 * the point spanning the largest triangle with the previous kept point and the next bucket's mean.
 * It keeps a line's visual shape with `maxPoints` points, in input order.
 */
export function lttb<P extends XY>(points: readonly P[], maxPoints: number): P[] {
  const n = points.length;
  if (maxPoints >= n || maxPoints < 3) return points.slice();
  const out: P[] = [points[0]!];
  const every = (n - 2) / (maxPoints - 2);
  let a = 0;
  for (let i = 0; i < maxPoints - 2; i++) {
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += points[j]!.x;
      avgY += points[j]!.y;
    }
    const count = Math.max(1, nextEnd - nextStart);
    avgX /= count;
    avgY /= count;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const pa = points[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const p = points[j]!;
      const area = Math.abs((pa.x - avgX) * (p.y - pa.y) - (pa.x - p.x) * (avgY - pa.y));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]!);
    a = best;
  }
  out.push(points[n - 1]!);
  return out;
}

/**
 * What the drift report draws for a column: the histograms of both sides over shared Sturges
 * bins (category counts for text), and both ECDFs, downsampled, with the point where they are
 * furthest apart (the KS distance). Small enough to store with every check.
 */
import type { ColumnDistribution } from '../../../../common/src/monitor/result';
import { categoryCounts, histogram, sturgesEdges } from '../drift/binning';
import type { PreparedColumn } from '../drift';

const ECDF_POINTS = 120;
const MAX_CATEGORIES = 20;

export function columnDistribution(column: PreparedColumn): ColumnDistribution | undefined {
  if (column.reference.length === 0 || column.current.length === 0) return undefined;
  if (column.kind === 'numeric') {
    const edges = sturgesEdges(column.reference, column.current);
    return {
      kind: 'numeric',
      edges: [...edges],
      reference: histogram(column.reference, edges),
      current: histogram(column.current, edges),
      ecdf: { reference: ecdfPoints(column.reference), current: ecdfPoints(column.current) },
      gap: ecdfGap(column.reference, column.current),
    };
  }
  const counts = categoryCounts(column.reference, column.current);
  const order = counts.keys
    .map((_, i) => i)
    .sort((a, b) => counts.reference[b]! + counts.current[b]! - (counts.reference[a]! + counts.current[a]!));
  const kept = order.slice(0, MAX_CATEGORIES);
  const rest = order.slice(MAX_CATEGORIES);
  const sum = (values: number[], at: number[]) => at.reduce((s, i) => s + values[i]!, 0);
  return {
    kind: 'categorical',
    categories: kept.map((i) => String(counts.keys[i])),
    reference: kept.map((i) => counts.reference[i]!),
    current: kept.map((i) => counts.current[i]!),
    ...(rest.length ? { other: { reference: sum(counts.reference, rest), current: sum(counts.current, rest) } } : {}),
  };
}

/** [x, F(x)] at evenly spaced ranks of a sorted sample, the last point included. */
export function ecdfPoints(sorted: Float64Array, points = ECDF_POINTS): [number, number][] {
  const n = sorted.length;
  const out: [number, number][] = [];
  const m = Math.min(points, n);
  for (let k = 0; k < m; k++) {
    let i = m === 1 ? n - 1 : Math.round((k * (n - 1)) / (m - 1));
    // F(x) counts every copy of x: step past ties.
    while (i + 1 < n && sorted[i + 1] === sorted[i]) i++;
    const point: [number, number] = [sorted[i]!, (i + 1) / n];
    if (out.length === 0 || out[out.length - 1]![0] !== point[0]) out.push(point);
  }
  return out;
}

/** The largest |F_ref(x) - F_cur(x)| over both samples (sorted), and where it occurs (the first such x). */
export function ecdfGap(a: Float64Array, b: Float64Array): { location: number; reference: number; current: number; distance: number } {
  let i = 0;
  let j = 0;
  let best = { location: a[0]!, reference: 0, current: 0, distance: -1 };
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    const fa = i / a.length;
    const fb = j / b.length;
    const d = Math.abs(fa - fb);
    if (d > best.distance) best = { location: x, reference: fa, current: fb, distance: d };
  }
  return best;
}

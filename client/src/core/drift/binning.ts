/** Shares per bin or category: what PSI and Jensen–Shannon compare. */

export type Sample = Float64Array | readonly string[];

/** Counts of each distinct value, over both samples' keys (reference's first, in order seen). */
export function categoryCounts(reference: ArrayLike<string | number>, current: ArrayLike<string | number>) {
  const index = new Map<string | number, number>();
  const ref: number[] = [];
  const cur: number[] = [];
  const add = (values: ArrayLike<string | number>, into: number[], other: number[]) => {
    for (let i = 0; i < values.length; i++) {
      const key = values[i]!;
      let k = index.get(key);
      if (k === undefined) {
        k = index.size;
        index.set(key, k);
        into.push(0);
        other.push(0);
      }
      into[k]!++;
    }
  };
  add(reference, ref, cur);
  add(current, cur, ref);
  return { keys: [...index.keys()], reference: ref, current: cur };
}

/** numpy.histogram_bin_edges(concat(reference, current), bins='sturges'). */
export function sturgesEdges(reference: Float64Array, current: Float64Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of [reference, current])
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  const size = reference.length + current.length;
  const width = (hi - lo) / (Math.log2(size) + 1);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const bins = width ? Math.ceil((hi - lo) / width) : 1;
  return linspace(lo, hi, bins + 1);
}

/** numpy.linspace(start, stop, num): i * step + start, the last edge exactly stop. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** numpy.histogram(values, edges)[0]: [e_i, e_i+1) and the last bin closed; `sortedValues` ascending. */
export function histogram(sortedValues: Float64Array, edges: Float64Array): number[] {
  const counts: number[] = [];
  let previous = lowerBound(sortedValues, edges[0]!);
  for (let e = 1; e < edges.length; e++) {
    const at = e === edges.length - 1 ? upperBound(sortedValues, edges[e]!) : lowerBound(sortedValues, edges[e]!);
    counts.push(at - previous);
    previous = at;
  }
  return counts;
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Reference and current counts per bin: Sturges bins over both samples for numbers
 * (sorted ascending), one bin per category for strings.
 */
export function binnedCounts(reference: Sample, current: Sample): { reference: number[]; current: number[] } {
  if (reference instanceof Float64Array && current instanceof Float64Array) {
    const edges = sturgesEdges(reference, current);
    return { reference: histogram(reference, edges), current: histogram(current, edges) };
  }
  const { reference: ref, current: cur } = categoryCounts(reference as ArrayLike<string | number>, current as ArrayLike<string | number>);
  return { reference: ref, current: cur };
}

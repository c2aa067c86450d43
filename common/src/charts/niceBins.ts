// Histogram bins on a nice scale: edges at multiples of 1, 2, 2.5 or 5 × 10^k, so labels read
// 10–20 rather than 10.69–25.9208 (as Evidently and d3's ticks choose them).

export interface NiceBins {
  /** Ascending edges; bin i is [edges[i], edges[i+1]), the last one closed. */
  readonly edges: readonly number[];
  /** The width of every bin. */
  readonly step: number;
}

const STEPS = [1, 2, 2.5, 5, 10];

/** The nice width nearest above `raw`: 1, 2, 2.5 or 5 × 10^k. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  const pick = STEPS.find((s) => unit <= s * (1 + 1e-9)) ?? 10;
  return pick * power;
}

/** Drops float noise from an edge: 0.30000000000000004 → 0.3. */
const clean = (x: number) => Number(x.toPrecision(12));

/**
 * Bins covering [min, max] with about `target` of them; `integer` keeps the
 * width a whole number (counts, days). One value alone gets one bin around it.
 */
export function niceBins(min: number, max: number, target: number, integer = false): NiceBins {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return { edges: [], step: 0 };
  if (min === max) {
    const half = integer ? 0.5 : Math.abs(min) > 0 ? niceStep(Math.abs(min) / 10) / 2 : 0.5;
    return { edges: [clean(min - half), clean(min + half)], step: clean(2 * half) };
  }
  let step = niceStep((max - min) / Math.max(1, target));
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(min / step);
  // Whole numbers: the largest value opens a bin of its own rather than closing the one below.
  let last = integer ? Math.floor(max / step) + 1 : Math.ceil(max / step);
  if (last === first) last++;
  const edges: number[] = [];
  for (let i = first; i <= last; i++) edges.push(clean(i * step));
  return { edges, step };
}

/** Decimals that show `step` exactly: 0 for 5, 1 for 0.5, 2 for 0.25. */
export function stepDecimals(step: number): number {
  if (!(step > 0)) return 0;
  for (let d = 0; d < 12; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9 * 10 ** d) return d;
  return 12;
}

/**
 * A bin's label, `10–20`, with the decimals its width needs. Bins of whole numbers name the values
 * they hold: `10–19`, or `7` for a bin of one value.
 */
export function binLabel(from: number, to: number, step: number, integer = false): string {
  if (integer && Number.isInteger(from) && Number.isInteger(step)) return step === 1 ? String(from) : `${from}–${to - 1}`;
  const d = stepDecimals(step);
  return `${from.toFixed(d)}–${to.toFixed(d)}`;
}

/** Counts of `values` per bin; values outside the edges are not counted. */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const bins = Math.max(0, edges.length - 1);
  const counts = new Array<number>(bins).fill(0);
  if (bins === 0) return counts;
  const lo = edges[0]!;
  const hi = edges[bins]!;
  const step = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= lo && v <= hi)) continue;
    let b = Math.min(bins - 1, Math.floor((v - lo) / step));
    // Float rounding at an edge: move to the bin whose edges hold it.
    while (b > 0 && v < edges[b]!) b--;
    while (b < bins - 1 && v >= edges[b + 1]!) b++;
    counts[b]!++;
  }
  return counts;
}

/**
 * Labels of bins whose edges are not on a nice scale (a drift report's shared edges): each edge
 * rounded to the decimals that the narrowest bin's width, on a nice scale, needs, so `10.69–25.9208`
 * reads `11–26`, as Evidently rounds its bins. Bins the rounding would make look alike keep one more decimal.
 */
export function rangeLabels(edges: readonly number[]): string[] {
  if (edges.length < 2) return [];
  const widths = edges
    .slice(1)
    .map((e, i) => e - edges[i]!)
    .filter((w) => w > 0);
  let d = widths.length ? stepDecimals(niceStep(Math.min(...widths))) : 0;
  const label = (i: number) => `${edges[i]!.toFixed(d)}–${edges[i + 1]!.toFixed(d)}`;
  for (; d < 12; d++) {
    const labels = edges.slice(1).map((_, i) => label(i));
    if (new Set(labels).size === labels.length) return labels.map((l) => l.replace(/-0(\.0+)?(?=–|$)/g, '0$1'));
  }
  return edges.slice(1).map((_, i) => label(i));
}

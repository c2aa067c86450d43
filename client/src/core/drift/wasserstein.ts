/**
 * Normed Wasserstein distance, as Evidently's wasserstein stattest: the 1-D earth mover's
 * distance between the samples (scipy.stats.wasserstein_distance: the area between the two
 * ECDFs) divided by the reference's population standard deviation, itself at least 0.001.
 */

export const WASSERSTEIN_MIN_STD = 0.001;

/** Both arrays sorted ascending. */
export function wassersteinDistance(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let previous = NaN;
  let gap = 0; // |cdf_a - cdf_b| just after `previous`
  while (i < n1 || j < n2) {
    const x = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    if (!Number.isNaN(previous)) total += gap * (x - previous);
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    gap = Math.abs(i / n1 - j / n2);
    previous = x;
  }
  return total;
}

export function populationStd(values: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

export function normedWasserstein(reference: Float64Array, current: Float64Array): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), WASSERSTEIN_MIN_STD);
}

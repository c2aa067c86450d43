/**
 * TensorBoard's smoothing: an exponential moving average with debiasing, so the first points are
 * not pulled towards zero. `weight` 0 returns the values unchanged; 0.99 is very smooth. Values that
 * are not finite pass through without entering the average.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let count = 0;
  const out = new Array<number>(values.length);
  const constant = values.every((v) => v === values[0]);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || constant) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    count++;
    out[i] = last / (1 - w ** count);
  }
  return out;
}

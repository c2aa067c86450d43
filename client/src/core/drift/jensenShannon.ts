/**
 * The Jensen–Shannon distance (natural log, the square root of the divergence, as
 * scipy.spatial.distance.jensenshannon) between the reference and current shares: Sturges
 * bins over both samples for numbers, categories otherwise.
 */
import { binnedCounts, type Sample } from './binning';

export function jensenShannon(reference: Sample, current: Sample): number {
  const { reference: ref, current: cur } = binnedCounts(reference, current);
  const sumP = ref.reduce((a, b) => a + b, 0);
  const sumQ = cur.reduce((a, b) => a + b, 0);
  let left = 0;
  let right = 0;
  for (let k = 0; k < ref.length; k++) {
    const p = ref[k]! / sumP;
    const q = cur[k]! / sumQ;
    const m = (p + q) / 2;
    if (p > 0) left += p * Math.log(p / m);
    if (q > 0) right += q * Math.log(q / m);
  }
  return Math.sqrt(Math.max((left + right) / 2, 0));
}

/**
 * The population stability index: Σ (cur - ref) · ln(cur / ref) over shares per bin, Sturges
 * bins over both samples for numbers and categories otherwise, shares floored at 1e-4 so an
 * empty bin counts without making the index infinite.
 */
import { binnedCounts, type Sample } from './binning';

export const PSI_SHARE_FLOOR = 1e-4;

export function psi(reference: Sample, current: Sample): number {
  const { reference: ref, current: cur } = binnedCounts(reference, current);
  let total = 0;
  for (let k = 0; k < ref.length; k++) {
    const r = Math.max(ref[k]! / reference.length, PSI_SHARE_FLOOR);
    const c = Math.max(cur[k]! / current.length, PSI_SHARE_FLOOR);
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

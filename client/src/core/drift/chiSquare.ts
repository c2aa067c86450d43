/**
 * Pearson's chi-square test of the current counts against the reference's shares, as
 * Evidently's chisquare stattest: categories are the values of both samples, expected counts
 * are the reference proportions times the current count, p = P(χ²_{k-1} >= statistic)
 * (scipy.stats.chisquare).
 */
import { categoryCounts } from './binning';
import { chiSquareSf } from './special';

export interface TestResult {
  readonly statistic: number;
  readonly pValue: number;
}

export function chiSquareTest(reference: ArrayLike<string | number>, current: ArrayLike<string | number>): TestResult {
  const { reference: ref, current: cur } = categoryCounts(reference, current);
  const scale = current.length / reference.length;
  let statistic = 0;
  for (let k = 0; k < ref.length; k++) {
    const expected = ref[k]! * scale;
    const diff = cur[k]! - expected;
    statistic += (diff * diff) / expected;
  }
  const dof = ref.length - 1;
  if (dof < 1) return { statistic: 0, pValue: 1 };
  return { statistic, pValue: Number.isFinite(statistic) ? chiSquareSf(statistic, dof) : 0 };
}

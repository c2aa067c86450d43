/**
 * The two-proportion Z-test, as Evidently's z stattest: the share of values other than the
 * first category seen, pooled standard error, two-sided p = 2·P(N(0,1) > |z|).
 * Two samples holding one same single value do not differ: p = 1.
 */
import { categoryCounts } from './binning';
import type { TestResult } from './chiSquare';
import { normalSf } from './special';

export function zTest(reference: ArrayLike<string | number>, current: ArrayLike<string | number>): TestResult {
  const { reference: ref, current: cur } = categoryCounts(reference, current);
  if (ref.length === 1) return { statistic: 0, pValue: 1 };
  const n1 = reference.length;
  const n2 = current.length;
  // successes: every value but the first category
  const p1 = (n1 - ref[0]!) / n1;
  const p2 = (n2 - cur[0]!) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: Number.isNaN(z) ? 1 : Math.min(1, 2 * normalSf(Math.abs(z))) };
}

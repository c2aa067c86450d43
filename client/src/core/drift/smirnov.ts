/**
 * The one-sided Smirnov survival function P(D+_n >= x), as scipy.special.smirnov computes it
 * (cephes kolmogorov.c): the Birnbaum–Tingey sum, with cephes' special cases and its
 * approximation above n = 1,000,000. Terms are summed in log space with a compensated
 * running log-binomial instead of cephes' double-double arithmetic: every term is positive,
 * so the sum keeps about 1e-10 relative accuracy even at n = 10^6.
 */

const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
const MINLOG = -708.3964185322641;

export function smirnov(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  let nxfl = Math.floor(nx);
  let alpha = nx - nxfl;
  if (alpha === 1) {
    nxfl += 1;
    alpha = 0;
  }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    // x <= 1/n: the cdf is x (1 + x)^(n-1)
    return clip(1 - x * Math.pow(1 + x, n - 1));
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return clip(Math.pow(1 - x, n));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return clip(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  // sf = x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
  const nTerms = n - nxfl; // v = 0 .. floor(n(1-x)), without the zero term when n x is whole
  const vmid = Math.floor(n / 2);
  let logC = 0; // log C(n, v), Kahan-compensated
  let logCc = 0;
  let sum = 0;
  let sumc = 0;
  for (let v = 0; v < nTerms; v++) {
    const logTerm = logC + (v - 1) * Math.log(x + v / n) + (n - v) * Math.log((n - v) / n - x);
    const term = Math.exp(logTerm);
    if (term !== 0) {
      const y = term - sumc;
      const t = sum + y;
      sumc = t - sum - y;
      sum = t;
      if (4 * (nTerms - v) * term < Number.EPSILON * sum && v !== nTerms - 1) break;
    } else if (v > vmid) break;
    const step = Math.log((n - v) / (v + 1)) - logCc;
    const next = logC + step;
    logCc = next - logC - step;
    logC = next;
  }
  return clip(x * sum);
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

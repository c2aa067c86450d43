/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, as `scipy.stats.ks_2samp(method='auto')`
 * computes it: D from the two ECDFs on sorted typed arrays (ties step together, as scipy's
 * `searchsorted(side='right')` does), then the exact p-value when max(n1, n2) <= 10,000
 * (scipy's equal-size formula and its unequal-size lattice count) and the asymptotic
 * `kstwo.sf(D, round(n1·n2 / (n1 + n2)))` above, or when the exact count fails.
 */
import { kolmogorovSf } from './kolmogorov';
import { sortFloat64 } from './radixSort';
import { roundHalfEven } from './special';

export const KS_MAX_EXACT_N = 10_000;

export interface KsResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly method: 'exact' | 'asymp';
  /** The value where the ECDFs are furthest apart. */
  readonly location: number;
  /** +1 when the reference ECDF is above the current one there, -1 below. */
  readonly sign: 1 | -1;
}

/** Sorts a copy (or, with `inPlace`, the array itself) in ascending order. */
export function sorted(values: Float64Array, inPlace = false): Float64Array {
  return sortFloat64(inPlace ? values : Float64Array.from(values));
}

/** KS on two samples without missing values; both are sorted first unless `presorted`. */
export function ks2samp(data1: Float64Array, data2: Float64Array, presorted = false): KsResult {
  const a = presorted ? data1 : sorted(data1);
  const b = presorted ? data2 : sorted(data2);
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ks2samp needs two non-empty samples');
  const { maxS, minS, locMax, locMin } = ecdfExtremes(a, b);
  let d: number;
  let location: number;
  let sign: 1 | -1;
  if (minS > maxS) {
    d = minS;
    location = locMin;
    sign = -1;
  } else {
    d = maxS;
    location = locMax;
    sign = 1;
  }
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const exact = exactPValue(n1, n2, d);
    if (exact) return { statistic: exact.d, pValue: exact.p, method: 'exact', location, sign };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: clip(kolmogorovSf(roundHalfEven(en), d)), method: 'asymp', location, sign };
}

/**
 * max and -min of cdf1 - cdf2 over every sample value, and where they occur as scipy reports
 * it: argmax over data1 ++ data2 (each sorted) takes the first index, so a value of data1
 * reaching the extreme wins over a value of data2, and the smallest such value wins.
 */
function ecdfExtremes(a: Float64Array, b: Float64Array) {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxA = -Infinity;
  let maxB = -Infinity;
  let minA = Infinity;
  let minB = Infinity;
  let locMaxA = NaN;
  let locMaxB = NaN;
  let locMinA = NaN;
  let locMinB = NaN;
  while (i < n1 || j < n2) {
    const x = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const inA = i < n1 && a[i] === x;
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    const diff = i / n1 - j / n2;
    if (inA) {
      if (diff > maxA) {
        maxA = diff;
        locMaxA = x;
      }
      if (diff < minA) {
        minA = diff;
        locMinA = x;
      }
    } else {
      if (diff > maxB) {
        maxB = diff;
        locMaxB = x;
      }
      if (diff < minB) {
        minB = diff;
        locMinB = x;
      }
    }
  }
  const maxS = Math.max(maxA, maxB);
  const minDiff = Math.min(minA, minB);
  return {
    maxS,
    minS: Math.min(Math.max(-minDiff, 0), 1),
    locMax: maxA >= maxB ? locMaxA : locMaxB,
    locMin: minA <= minB ? locMinA : locMinB,
  };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function exactPValue(n1: number, n2: number, d: number): { d: number; p: number } | undefined {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dd = h / lcm;
  if (h === 0) return { d: dd, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  if (!(p >= 0 && p <= 1)) return undefined;
  return { d: dd, p };
}

/** P(D_{n,n} >= h/n), scipy's `_compute_prob_outside_square` (Horner form of the alternating sum). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k--;
  }
  return 2 * P;
}

/**
 * 1 - (the share of lattice paths from (0,0) to (m,n) staying strictly inside |x/m - y/n| < h/lcm),
 * scipy's `_compute_outer_prob_inside_method` (Hodges; Viehmann's recursion for 1 - p).
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

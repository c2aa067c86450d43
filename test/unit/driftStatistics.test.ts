import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sturgesEdges, histogram } from '../../client/src/core/drift/binning';
import { chiSquareTest } from '../../client/src/core/drift/chiSquare';
import { jensenShannon } from '../../client/src/core/drift/jensenShannon';
import { psi } from '../../client/src/core/drift/psi';
import { chiSquareSf, erfc, gammaQ, logGamma, normalSf, roundHalfEven } from '../../client/src/core/drift/special';
import { normedWasserstein, wassersteinDistance } from '../../client/src/core/drift/wasserstein';
import { zTest } from '../../client/src/core/drift/zTest';
import { absDiff, sample, VECTORS, type SampleSpec } from './driftVectors';

/** The samples as the report hands them over: numbers sorted ascending, strings as read. */
const prepared = (spec: SampleSpec) => {
  const s = sample(spec);
  return s instanceof Float64Array ? Float64Array.from(s).sort() : s;
};
const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(absDiff(actual, expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

describe(`drift statistics against scipy ${VECTORS.scipy} / numpy ${VECTORS.numpy}`, () => {
  it(`chi-square (expected = reference shares x current count): ${VECTORS.chi2.length} cases`, () => {
    for (const c of VECTORS.chi2) {
      const r = chiSquareTest(sample(c.a), sample(c.b));
      close(r.statistic, c.statistic, 1e-12, `${c.name} statistic`);
      close(r.pValue, c.pvalue, 1e-12, `${c.name} p`);
    }
  });

  it(`two-proportion Z-test: ${VECTORS.z.length} cases`, () => {
    for (const c of VECTORS.z) {
      const r = zTest(sample(c.a), sample(c.b));
      close(r.statistic, c.statistic, 1e-12, `${c.name} z`);
      close(r.pValue, c.pvalue, 1e-12, `${c.name} p`);
    }
  });

  it(`PSI (Sturges bins, shares floored at 1e-4): ${VECTORS.psi.length} cases`, () => {
    for (const c of VECTORS.psi) close(psi(prepared(c.a), prepared(c.b)), c.value, 1e-12, c.name);
  });

  it(`Jensen-Shannon distance: ${VECTORS.jensen_shannon.length} cases`, () => {
    for (const c of VECTORS.jensen_shannon) close(jensenShannon(prepared(c.a), prepared(c.b)), c.value, 1e-12, c.name);
  });

  it(`normed Wasserstein (distance / reference std): ${VECTORS.wasserstein.length} cases`, () => {
    for (const c of VECTORS.wasserstein) {
      const a = prepared(c.a) as Float64Array;
      const b = prepared(c.b) as Float64Array;
      close(wassersteinDistance(a, b), c.distance, 1e-12, `${c.name} distance`);
      close(normedWasserstein(a, b), c.value, 1e-12, `${c.name} normed`);
    }
  });

  it('chi-square and Z give p = 1 for a single shared value', () => {
    assert.deepEqual(chiSquareTest(['a', 'a'], ['a']), { statistic: 0, pValue: 1 });
    assert.deepEqual(zTest(['a', 'a'], ['a']), { statistic: 0, pValue: 1 });
  });

  it('Sturges bins as numpy: constant data gets one bin of width 1 around it; the last bin is closed', () => {
    assert.deepEqual([...sturgesEdges(Float64Array.from([2, 2]), Float64Array.from([2]))], [1.5, 2.5]);
    const edges = sturgesEdges(Float64Array.from([0, 1, 2, 3]), Float64Array.from([4]));
    assert.equal(edges.length - 1, Math.ceil(4 / (4 / (Math.log2(5) + 1))));
    assert.equal(
      histogram(Float64Array.from([0, 1, 2, 3, 4]), edges).reduce((a, b) => a + b, 0),
      5,
    );
  });
});

describe('special functions', () => {
  it('log-gamma at integers and halves', () => {
    assert.ok(Math.abs(logGamma(10) - Math.log(362880)) < 1e-12);
    assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  });
  it('chi-square tail: 1 dof at 3.841458820694124 is 0.05; Q(a, 0) = 1', () => {
    assert.ok(Math.abs(chiSquareSf(3.841458820694124, 1) - 0.05) < 1e-14);
    assert.equal(gammaQ(2, 0), 1);
  });
  it('normal tail and erfc', () => {
    assert.ok(Math.abs(normalSf(1.959963984540054) - 0.025) < 1e-15);
    assert.ok(Math.abs(erfc(0) - 1) < 1e-16);
    assert.ok(Math.abs(erfc(-1) - 1.8427007929497148) < 1e-15);
    assert.ok(Math.abs(normalSf(10) - 7.619853024160527e-24) / 7.619853024160527e-24 < 1e-13);
  });
  it("rounds halves to even, as numpy's round", () => {
    assert.deepEqual([0.5, 1.5, 2.5, 2.4, 2.6, 7].map(roundHalfEven), [0, 2, 2, 2, 3, 7]);
  });
});

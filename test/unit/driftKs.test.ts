import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ks2samp } from '../../client/src/core/drift/ks';
import { kolmogorovSf } from '../../client/src/core/drift/kolmogorov';
import { smirnov } from '../../client/src/core/drift/smirnov';
import { absDiff, numbers, VECTORS } from './driftVectors';

/** The tolerances: exact p-values within 1e-9, asymptotic within 1e-6. */
const TOLERANCE = { exact: 1e-9, asymp: 1e-6 };

describe(`two-sample KS against scipy ${VECTORS.scipy} ks_2samp(method='auto')`, () => {
  for (const regime of ['tiny', 'exact_equal', 'exact_unequal', 'ties', 'asymptotic'] as const) {
    const cases = VECTORS.ks.filter((c) => c.regime === regime);
    it(`${regime}: ${cases.length} cases`, () => {
      assert.ok(cases.length > 0);
      for (const c of cases) {
        const a = numbers(c.a);
        const b = numbers(c.b);
        const r = ks2samp(a, b);
        const expectedMethod = Math.max(a.length, b.length) <= 10_000 ? 'exact' : 'asymp';
        assert.equal(r.method, expectedMethod, c.name);
        assert.equal(r.statistic, c.statistic, `${c.name}: D`);
        const diff = absDiff(r.pValue, c.pvalue);
        assert.ok(diff <= TOLERANCE[r.method], `${c.name}: p ${r.pValue} vs scipy ${c.pvalue} (|diff| ${diff})`);
        if (c.location !== undefined) {
          assert.equal(r.location, c.location, `${c.name}: location`);
          assert.equal(r.sign, c.sign, `${c.name}: sign`);
        }
      }
    });
  }

  it('is symmetric in its samples, and leaves its inputs unsorted', () => {
    const a = Float64Array.from([3, 1, 2, 9, 4]);
    const b = Float64Array.from([5, 7, 6]);
    assert.deepEqual([ks2samp(a, b).statistic, ks2samp(a, b).pValue], [ks2samp(b, a).statistic, ks2samp(b, a).pValue]);
    assert.deepEqual([...a], [3, 1, 2, 9, 4]);
  });

  it('refuses an empty sample', () => {
    assert.throws(() => ks2samp(new Float64Array(0), Float64Array.from([1])), RangeError);
  });

  it(`kstwo.sf and smirnov over every branch (${VECTORS.kstwo.length} points, n from 3 to 1,500,000)`, () => {
    for (const v of VECTORS.kstwo) {
      assert.ok(absDiff(kolmogorovSf(v.n, v.x), v.sf) <= 1e-9, `kstwo.sf(${v.x}, ${v.n}): ${kolmogorovSf(v.n, v.x)} vs ${v.sf}`);
      assert.ok(absDiff(smirnov(v.n, v.x), v.smirnov) <= 1e-9, `smirnov(${v.n}, ${v.x}): ${smirnov(v.n, v.x)} vs ${v.smirnov}`);
    }
  });

  it('kstwo.sf edge cases: 1 at 0, 0 at 1, 2(1-x)^n near the top', () => {
    assert.equal(kolmogorovSf(100, 0), 1);
    assert.equal(kolmogorovSf(100, 1), 0);
    assert.equal(kolmogorovSf(100, 0.004), 1); // n x <= 0.5
    assert.ok(Math.abs(kolmogorovSf(10, 0.95) - 2 * 0.05 ** 10) < 1e-20);
  });
});

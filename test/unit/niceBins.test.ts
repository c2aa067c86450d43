import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binCounts, binLabel, niceBins, niceStep, rangeLabels, stepDecimals } from '../../common/src/charts/niceBins';

describe('histogram bins on a nice scale', () => {
  it('rounds a width up to 1, 2, 2.5 or 5 times a power of ten', () => {
    assert.deepEqual([0.7, 1, 1.3, 2.2, 3, 7, 13, 0.031].map(niceStep), [1, 1, 2, 2.5, 5, 10, 20, 0.05]);
  });

  it('covers min..max with edges on multiples of the step, about as many bins as asked', () => {
    const { edges, step } = niceBins(10.69, 207.68, 10);
    assert.equal(step, 20);
    assert.deepEqual(edges, [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220]);
    const fine = niceBins(0.013, 0.987, 20);
    assert.equal(fine.step, 0.05);
    assert.equal(fine.edges[0], 0);
    assert.equal(fine.edges.at(-1), 1);
    assert.ok(
      fine.edges.every((e) => Number(e.toFixed(2)) === e),
      `float noise in ${fine.edges.join(',')}`,
    );
  });

  it('gives whole numbers whole steps, and the largest value a bin of its own', () => {
    const { edges, step } = niceBins(0, 7, 10, true);
    assert.equal(step, 1);
    assert.deepEqual(edges, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(binCounts([0, 0, 1, 7, 7, 7], edges), [2, 1, 0, 0, 0, 0, 0, 3]);
  });

  it('puts one repeated value in one bin around it', () => {
    const { edges } = niceBins(5, 5, 10, true);
    assert.deepEqual(edges, [4.5, 5.5]);
    assert.deepEqual(binCounts([5, 5], edges), [2]);
    assert.deepEqual(niceBins(Number.NaN, 1, 10).edges, []);
  });

  it('counts a value on an inner edge in the bin it opens, and the maximum in the last bin', () => {
    const edges = [0, 0.1, 0.2, 0.30000000000000004];
    assert.deepEqual(binCounts([0, 0.1, 0.19999, 0.2, 0.30000000000000004, 0.5, -1], edges), [1, 2, 2]);
  });

  it('labels a bin with the decimals its width needs, and a bin of whole numbers with the values it holds', () => {
    assert.deepEqual([5, 0.5, 0.25, 20, 0.05].map(stepDecimals), [0, 1, 2, 0, 2]);
    assert.equal(binLabel(10, 20, 10), '10–20');
    assert.equal(binLabel(0.25, 0.5, 0.25), '0.25–0.50');
    assert.equal(binLabel(10, 20, 10, true), '10–19');
    assert.equal(binLabel(7, 8, 1, true), '7');
  });

  it('labels bins whose edges are not on a nice scale with the decimals the narrowest bin needs', () => {
    assert.deepEqual(rangeLabels([10.69, 25.9208, 41.1516, 56.3824]), ['11–26', '26–41', '41–56']);
    assert.deepEqual(rangeLabels([0.01234, 0.0456, 0.0789]), ['0.01–0.05', '0.05–0.08']);
    assert.deepEqual(rangeLabels([-0.4, 0.1, 0.6]), ['-0.4–0.1', '0.1–0.6']);
    // Rounding that would make two bins read alike keeps a decimal more.
    const close = rangeLabels([1.0, 1.04, 1.08, 3]);
    assert.equal(new Set(close).size, 3, close.join(', '));
    assert.deepEqual(rangeLabels([5]), []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minMaxDownsample, type XY } from '../../client/src/core/charts/downsample';

/** A noisy series with a few spikes whose positions we know. */
function series(n: number): XY[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const points = Array.from({ length: n }, (_, i) => ({ x: i, y: Math.sin(i / 500) + random() * 0.1 }));
  points[1234]!.y = 50;
  points[77_777]!.y = -40;
  points[n - 2]!.y = 9;
  return points;
}

const ordered = (points: readonly XY[]) => points.every((p, i) => i === 0 || points[i - 1]!.x < p.x);

describe('chart downsampling', () => {
  const input = series(100_000);

  it('min/max keeps every extreme, the first and last point, in order, within the budget', () => {
    const out = minMaxDownsample(input, 2000);
    assert.ok(out.length <= 2000, `${out.length} points`);
    assert.ok(ordered(out));
    assert.equal(out[0], input[0]);
    assert.equal(out.at(-1), input.at(-1));
    for (const spike of [1234, 77_777, input.length - 2]) assert.ok(out.includes(input[spike]!), `spike at ${spike} kept`);
    assert.equal(Math.max(...out.map((p) => p.y)), 50);
    assert.equal(Math.min(...out.map((p) => p.y)), -40);
  });

  it('min/max keeps the extremes of every bucket', () => {
    const out = minMaxDownsample(input, 100);
    const buckets = 49;
    const span = input.at(-1)!.x - input[0]!.x;
    for (let b = 0; b < buckets; b++) {
      const inBucket = input.slice(1, -1).filter((p) => Math.min(buckets - 1, Math.floor((p.x / span) * buckets)) === b);
      const max = inBucket.reduce((m, p) => (p.y > m.y ? p : m));
      const min = inBucket.reduce((m, p) => (p.y < m.y ? p : m));
      assert.ok(out.includes(max) && out.includes(min), `bucket ${b}`);
    }
  });

  it('returns short series unchanged (a copy)', () => {
    const short = series(100_000).slice(0, 50);
    assert.deepEqual(minMaxDownsample(short, 2000), short);
    assert.notEqual(minMaxDownsample(short, 2000), short);
  });
});

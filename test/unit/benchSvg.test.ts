import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartAxes, escapeXml, formatTick, lineChart, linearAxis, logAxis } from '../bench/report/svgChart';

describe('benchmark report charts (test/bench/report/svgChart.ts)', () => {
  it('linear axes cover the data with ticks at 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual(linearAxis(0, 97).ticks, [0, 20, 40, 60, 80, 100]);
    const a = linearAxis(3.2, 4.7);
    assert.ok(a.min <= 3.2 && a.max >= 4.7);
    assert.deepEqual(a.ticks, [3, 3.5, 4, 4.5, 5]);
    assert.deepEqual(linearAxis(0.0012, 0.0093).ticks, [0, 0.002, 0.004, 0.006, 0.008, 0.01]);
    // Positive data near zero starts at zero; a single value gets room around it.
    assert.equal(linearAxis(120, 900).min, 0);
    const flat = linearAxis(5, 5);
    assert.ok(flat.min < 5 && flat.max > 5);
  });

  it('log axes run from power of ten to power of ten, with 2 and 5 over two decades or less', () => {
    const wide = logAxis(500, 20_000);
    assert.deepEqual([wide.min, wide.max], [100, 100_000]);
    assert.deepEqual(wide.ticks, [100, 1000, 10_000, 100_000]);
    assert.deepEqual(logAxis(1000, 100_000).ticks, [1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]);
    assert.deepEqual([logAxis(10, 10).min, logAxis(10, 10).max], [10, 100]);
  });

  it('formats ticks short', () => {
    assert.deepEqual([1500, 2_000_000, 0.25, 20_000, 3e9, 0].map(formatTick), ['1.5k', '2M', '0.25', '20k', '3G', '0']);
  });

  it('escapes every label and draws one line per series inside the plot', () => {
    assert.equal(escapeXml(`<a & "b" 'c'>`), '&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;');
    const svg = lineChart({
      title: 'Edit <latency> & "steps"',
      xLabel: 'steps',
      yLabel: 'ms',
      logX: true,
      series: [
        {
          name: 'ours',
          points: [
            [500, 5],
            [5000, 12],
            [20_000, 40],
          ],
        },
        {
          name: "yaml-ls 'adjusted'",
          points: [
            [500, 60],
            [5000, 900],
            [20_000, NaN],
          ],
        },
      ],
    });
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(svg.includes('Edit &lt;latency&gt; &amp; &quot;steps&quot;'));
    assert.ok(svg.includes('yaml-ls &apos;adjusted&apos;'));
    assert.ok(!svg.includes('<latency>'));
    assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
    // The NaN point is left out: 3 + 2 markers.
    assert.equal((svg.match(/<circle /g) ?? []).length, 5);
    // Every marker inside the plot area (x 72..616, y 44..314 for 640 x 400).
    for (const m of svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)) {
      const [cx, cy] = [Number(m[1]), Number(m[2])];
      assert.ok(cx >= 72 && cx <= 616 && cy >= 44 && cy <= 314, `${cx}, ${cy}`);
    }
    const { x, y } = chartAxes({
      title: '',
      xLabel: '',
      yLabel: '',
      logX: true,
      series: [
        {
          name: 'a',
          points: [
            [500, 5],
            [20_000, 900],
          ],
        },
      ],
    });
    assert.deepEqual([x.min, x.max, y.min, y.max], [100, 100_000, 0, 1000]);
  });
});

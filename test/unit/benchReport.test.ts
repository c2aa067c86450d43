import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownTable, numberIn, numberRows, parseOutput, tableRow } from '../bench/report/parse';

const PRINTED = `tracking store at scale (Node v20)

ingest: 1,000,000 points in 100 runs
  points so far   rate (points/s)  longest call
  (each row: a tenth of the work)
  100,000                  51,234        12 ms
  200,000                  48,000         9 ms

figures
  ingest rate (whole run)                      49,000 points/s (20.4 s)
  status bar verdict                           ok
| measure                          | ours    | yaml-ls raw | yaml-ls adjusted |
|----------------------------------|---------|-------------|------------------|
| validation after an edit, median | 97.6 ms | 1307 ms     | 1107 ms          |
BENCH_JSON {"bench":"trees","runs":1000,"firstPageMedianMs":42}
BENCH_JSON {"bench":"cut`;

describe('benchmark report: what a benchmark printed (test/bench/report/parse.ts)', () => {
  const out = parseOutput(PRINTED);
  it('keeps BENCH_JSON lines, skipping a cut one', () => {
    assert.deepEqual(out.json, [{ bench: 'trees', runs: 1000, firstPageMedianMs: 42 }]);
  });
  it('keeps markdown tables and finds a row by its label', () => {
    assert.equal(out.tables.length, 1);
    assert.deepEqual(tableRow(out, 'validation after an edit, median'), ['97.6 ms', '1307 ms', '1107 ms']);
    assert.equal(tableRow(out, 'absent'), undefined);
  });
  it('reads "label   value" lines and leading-number rows', () => {
    assert.deepEqual(
      out.pairs.find(([k]) => k === 'status bar verdict'),
      ['status bar verdict', 'ok'],
    );
    assert.deepEqual(numberRows(PRINTED, /points so far/), [
      [100_000, 51_234],
      [200_000, 48_000],
    ]);
    assert.deepEqual([numberIn('1,234.5 ms'), numberIn('n/a'), numberIn('2.2e-16')], [1234.5, NaN, 2.2e-16]);
  });
  it('writes tables with pipes escaped', () => {
    assert.equal(markdownTable(['a', 'b'], [['x|y', '1']]), '| a | b |\n|---|---|\n| x\\|y | 1 |');
  });
});

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { autoMethod } from '../../client/src/core/drift/autoMethod';
import { prepareColumn } from '../../client/src/core/drift/columns';
import { concatTables, readTable, readTables, type Table } from '../../client/src/core/drift/dataTable';
import { driftReport } from '../../client/src/core/drift/report';
import {
  checkDrift,
  DriftInputError,
  performanceDrift,
  resolveCurrent,
  resolveReference,
  DataFileError,
} from '../../client/src/core/drift';

const DIR = path.resolve(__dirname, '../fixtures/drift');
const file = (name: string) => path.join(DIR, name);
const table = (columns: Record<string, (string | number | null)[]>): Table => {
  const rowCount = Object.values(columns)[0]?.length ?? 0;
  return { files: ['memory'], rowCount, columns: new Map(Object.entries(columns)) };
};

describe('auto method (docs/formats.md, section Monitor files; after Evidently)', () => {
  it('reference <= 1000 values: KS for numbers with > 5 values, chi-square for 3-5 or text with > 2, Z for <= 2', () => {
    assert.equal(autoMethod('numeric', 1000, 6), 'ks');
    assert.equal(autoMethod('numeric', 1000, 5), 'chi2');
    assert.equal(autoMethod('numeric', 10, 3), 'chi2');
    assert.equal(autoMethod('numeric', 10, 2), 'z');
    assert.equal(autoMethod('categorical', 500, 3), 'chi2');
    assert.equal(autoMethod('categorical', 500, 2), 'z');
    assert.equal(autoMethod('categorical', 500, 1), 'z');
  });
  it('reference > 1000 values: normed Wasserstein for numbers with > 5 values, Jensen-Shannon otherwise', () => {
    assert.equal(autoMethod('numeric', 1001, 6), 'wasserstein');
    assert.equal(autoMethod('numeric', 1001, 5), 'jensen_shannon');
    assert.equal(autoMethod('categorical', 5000, 40), 'jensen_shannon');
  });
});

describe('columns: kind and missing values', () => {
  it('is numeric when every value on both sides is a number, sorted, missing left out and counted', () => {
    const c = prepareColumn(['3', null, '1.5', '-2e1'], [4, null, null]);
    assert.equal(c.kind, 'numeric');
    assert.deepEqual([...(c.reference as Float64Array)], [-20, 1.5, 3]);
    assert.deepEqual([c.referenceMissing, c.currentMissing, c.uniqueValues], [1, 2, 4]);
  });
  it('is categorical when a value on either side is text', () => {
    const c = prepareColumn(['1', '2'], ['3', 'x']);
    assert.equal(c.kind, 'categorical');
    assert.deepEqual(c.current, ['3', 'x']);
    assert.equal(prepareColumn(['0x10', '1'], ['1']).kind, 'categorical');
  });
});

describe('reading data', () => {
  it('reads CSV cells as text, missing tokens (NA, empty, nan) as null', async () => {
    const t = await readTable(file('reference.csv'));
    assert.equal(t.rowCount, 300);
    assert.deepEqual([...t.columns.keys()], ['id', 'age', 'plan', 'flag', 'score', 'note']);
    const score = t.columns.get('score')!;
    assert.ok(score.includes(null));
    assert.ok(!score.includes('NA'));
  });

  it('concatenates several current files; a column absent from one is missing there', async () => {
    const t = await readTables([file('current-1.csv'), file('current-2.csv')]);
    assert.equal(t.rowCount, 200);
    assert.equal(
      t.columns
        .get('note')!
        .slice(120)
        .every((c) => c === null),
      true,
    );
    assert.equal(t.columns.get('age')!.length, 200);
    assert.equal(concatTables([t]), t);
  });

  it('reads Parquet: the same reference gives the same report as its CSV', async () => {
    const [csv, parquet, current] = await Promise.all([
      readTable(file('reference.csv')),
      readTable(file('reference.parquet')),
      readTables([file('current-1.csv'), file('current-2.csv')]),
    ]);
    assert.equal(parquet.rowCount, 300);
    const options = { method: 'auto', ignore: ['id'], datasetDriftShare: 0.5 } as const;
    const a = driftReport(csv, current, options);
    const b = driftReport(parquet, current, options);
    assert.deepEqual(
      b.columns.map((c) => [c.column, c.method, c.value]),
      a.columns.map((c) => [c.column, c.method, c.value]),
    );
  });

  it('resolves the reference and current globs, naming what is missing', async () => {
    assert.equal(resolveReference('reference.csv', DIR), file('reference.csv'));
    assert.throws(
      () => resolveReference('nope.csv', DIR),
      (e: Error) => e instanceof DataFileError && /reference file not found: nope\.csv/.test(e.message),
    );
    assert.deepEqual(await resolveCurrent(['current-*.csv'], DIR), [file('current-1.csv'), file('current-2.csv')]);
    await assert.rejects(resolveCurrent(['incoming/*.csv'], DIR), /no file matches current pattern incoming\/\*\.csv/);
    await assert.rejects(resolveCurrent(['gone.csv'], DIR), /current file not found: gone\.csv/);
    assert.throws(() => resolveReference('generate_vectors.py', DIR), /not a \.csv or \.parquet file/);
  });
});

describe('driftReport', () => {
  const load = async () =>
    [await readTable(file('reference.csv')), await readTables([file('current-1.csv'), file('current-2.csv')])] as const;

  it('auto on a small reference: KS, chi-square and Z by kind and distinct values; the shifted column drifts', async () => {
    const [reference, current] = await load();
    const r = driftReport(reference, current, { method: 'auto', threshold: 0.05, ignore: ['id'], datasetDriftShare: 0.5 });
    assert.deepEqual(
      r.columns.map((c) => [c.column, c.kind, c.method, c.measure]),
      [
        ['age', 'numeric', 'ks', 'p_value'],
        ['plan', 'categorical', 'chi2', 'p_value'],
        ['flag', 'numeric', 'z', 'p_value'],
        ['score', 'numeric', 'ks', 'p_value'],
        ['note', 'categorical', 'chi2', 'p_value'],
      ],
    );
    const age = r.columns[0]!;
    assert.equal(age.drift, true);
    assert.ok(age.value < 1e-6);
    assert.equal(age.ks?.exact, true);
    assert.deepEqual(
      r.columns.filter((c) => c.drift).map((c) => c.column),
      ['age'],
    );
    assert.equal(r.driftedColumns, 1);
    assert.equal(r.share, 0.2);
    assert.equal(r.datasetDrift, false);
    assert.equal(driftReport(reference, current, { method: 'auto', ignore: ['id'], datasetDriftShare: 0.2 }).datasetDrift, true);
  });

  it('counts missing values per side and leaves them out', async () => {
    const [reference, current] = await load();
    const r = driftReport(reference, current, { method: 'auto', columns: ['score', 'note'], datasetDriftShare: 0.5 });
    const score = r.columns.find((c) => c.column === 'score')!;
    const missingRef = reference.columns.get('score')!.filter((c) => c === null).length;
    assert.ok(missingRef > 0);
    assert.deepEqual(score.reference, { count: 300 - missingRef, missing: missingRef });
    const note = r.columns.find((c) => c.column === 'note')!;
    assert.ok(note.current.missing >= 80);
  });

  it('defaults to every shared column not ignored; honours columns and ignore', () => {
    const ref = table({ a: [1, 2, 3], b: ['x', 'y', 'x'], only_ref: [1, 1, 1] });
    const cur = table({ b: ['x', 'x', 'y'], a: [1, 2, 4], only_cur: [0, 0, 0] });
    assert.deepEqual(
      driftReport(ref, cur, { method: 'auto', datasetDriftShare: 0.5 }).columns.map((c) => c.column),
      ['a', 'b'],
    );
    assert.deepEqual(
      driftReport(ref, cur, { method: 'auto', ignore: ['a'], datasetDriftShare: 0.5 }).columns.map((c) => c.column),
      ['b'],
    );
    assert.deepEqual(
      driftReport(ref, cur, { method: 'auto', columns: ['b', 'a'], ignore: ['a'], datasetDriftShare: 0.5 }).columns.map((c) => c.column),
      ['b'],
    );
    assert.throws(
      () => driftReport(ref, cur, { method: 'auto', columns: ['only_ref'], datasetDriftShare: 0.5 }),
      (e: Error) => e instanceof DriftInputError && /current data \(memory\) has no column 'only_ref'/.test(e.message),
    );
  });

  it('a named method applies to every column; numeric-only methods skip text columns', () => {
    const ref = table({ n: [1, 2, 3, 4, 5, 6, 7], t: ['a', 'b', 'a', 'b', 'a', 'c', 'c'] });
    const cur = table({ n: [5, 6, 7, 8, 9, 10, 11], t: ['a', 'a', 'a', 'a', 'b', 'b', 'c'] });
    const r = driftReport(ref, cur, { method: 'wasserstein', datasetDriftShare: 0.5 });
    assert.deepEqual(
      r.columns.map((c) => [c.column, c.method, c.threshold]),
      [['n', 'wasserstein', 0.1]],
    );
    assert.deepEqual(r.skipped, [{ column: 't', reason: 'wasserstein compares numbers; the column holds text' }]);
    assert.equal(r.datasetDrift, true);
    const psi = driftReport(ref, cur, { method: 'psi', threshold: 50, datasetDriftShare: 0.5 });
    assert.deepEqual(
      psi.columns.map((c) => [c.method, c.measure, c.threshold, c.drift]),
      [
        ['psi', 'distance', 50, false],
        ['psi', 'distance', 50, false],
      ],
    );
  });

  it('with auto, the threshold applies to p-value tests; distances drift at >= 0.1', () => {
    const big = (shift: number) => Array.from({ length: 1500 }, (_, i) => ((i * 7919) % 1500) / 100 + shift);
    const ref = table({ x: big(0), k: Array.from({ length: 1500 }, (_, i) => (i % 3 ? 'a' : 'b')) });
    const cur = table({ x: big(1), k: Array.from({ length: 1500 }, (_, i) => (i % 3 ? 'a' : 'b')) });
    const r = driftReport(ref, cur, { method: 'auto', threshold: 0.01, datasetDriftShare: 0.5 });
    assert.deepEqual(
      r.columns.map((c) => [c.column, c.method, c.threshold]),
      [
        ['x', 'wasserstein', 0.1],
        ['k', 'jensen_shannon', 0.1],
      ],
    );
    assert.equal(r.columns[0]!.drift, true);
    assert.equal(r.columns[1]!.drift, false);
  });

  it('skips a column with no values on one side, and reports no dataset drift when nothing was compared', () => {
    const r = driftReport(table({ a: [null, null] }), table({ a: [1, 2] }), { method: 'auto', datasetDriftShare: 0 });
    assert.deepEqual(r.skipped, [{ column: 'a', reason: 'no values in the reference data' }]);
    assert.equal(r.datasetDrift, false);
  });
});

describe('checkDrift (what `mlops monitor` calls)', () => {
  it('resolves paths from cwd, reads the current glob as one table and reports', async () => {
    const check = await checkDrift({
      reference: 'reference.csv',
      current: ['current-*.csv'],
      cwd: DIR,
      method: 'auto',
      ignore: ['id'],
      datasetDriftShare: 0.2,
    });
    assert.equal(check.referenceFile, file('reference.csv'));
    assert.deepEqual(check.currentFiles, [file('current-1.csv'), file('current-2.csv')]);
    assert.equal(check.report.currentRows, 200);
    assert.equal(check.report.datasetDrift, true);
    await assert.rejects(
      checkDrift({ reference: 'missing.parquet', current: ['current-1.csv'], cwd: DIR, method: 'auto', datasetDriftShare: 0.5 }),
      DataFileError,
    );
  });
});

describe('performance drift (the seed ModelMonitor.detect_drift)', () => {
  it('alerts where |current - baseline| > alert_threshold, never on a missing metric', () => {
    const r = performanceDrift(
      { accuracy: 0.91, precision: 0.8, recall: 0.7 },
      { accuracy: 0.85, precision: 0.76, f1: 0.5 },
      ['accuracy', 'precision', 'recall'],
      0.05,
    );
    assert.deepEqual(
      r.metrics.map((m) => [m.metric, m.alert]),
      [
        ['accuracy', true],
        ['precision', false],
        ['recall', false],
      ],
    );
    assert.ok(Math.abs(r.metrics[0]!.change! + 0.06) < 1e-12);
    assert.equal(r.metrics[2]!.current, undefined);
    assert.equal(r.drift, true);
    assert.equal(performanceDrift({ a: 0.5 }, { a: 0.75 }, ['a'], 0.25).drift, false); // exactly the threshold: no alert
  });
});

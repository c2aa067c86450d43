import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { mlops, ROOT } from '../helpers/cli';

const CHURN = path.join(ROOT, 'samples/churn');
const FIXTURES = 'test/fixtures/drift';
/** The columns of samples/churn/churn.monitor.yaml. */
const MONITORED = 'total_purchases,avg_order_value,days_since_last_order,num_returns,plan';

describe('mlops drift (the built bin)', () => {
  it('finds the churn sample drift: 2 of 5 monitored columns, dataset drift at share 0.4, exit 1', () => {
    const r = mlops(
      [
        'drift',
        '--reference',
        'data/churn.csv',
        '--current',
        'data/incoming/*.csv',
        '--columns',
        MONITORED,
        '--ignore',
        'customer_id,event_timestamp',
        '--share',
        '0.4',
      ],
      CHURN,
    );
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'Reference: data/churn.csv (2000 rows)  Current: data/incoming/batch-001.csv (500 rows)');
    assert.match(r.stdout, /^column\s+method\s+statistic\s+p-value\/distance\s+threshold\s+drift$/m);
    assert.deepEqual(
      lines
        .filter((l) => /\s(DRIFT|ok)$/.test(l))
        .map((l) => l.split(/\s+/))
        .map((p) => [p[0], p[1], p.at(-1)]),
      [
        ['total_purchases', 'wasserstein', 'ok'],
        ['avg_order_value', 'wasserstein', 'DRIFT'],
        ['days_since_last_order', 'wasserstein', 'DRIFT'],
        ['num_returns', 'wasserstein', 'ok'],
        ['plan', 'jensen_shannon', 'ok'],
      ],
    );
    assert.match(r.stdout, /Dataset drift: 2 of 5 columns drifted \(share 0\.40, dataset drift at >= 0\.4\)\.\n$/);
  });

  it('exits 0 when the drifted share stays under --share (default 0.5)', () => {
    const r = mlops(['drift', '--reference', 'data/churn.csv', '--current', 'data/incoming/batch-001.csv', '--columns', MONITORED], CHURN);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No dataset drift: 2 of 5 columns drifted/);
  });

  it('writes a JSON report with --json', () => {
    const r = mlops(
      [
        'drift',
        '--json',
        '--reference',
        'data/churn.csv',
        '--current',
        'data/incoming/*.csv',
        '--method',
        'ks',
        '--columns',
        'avg_order_value,num_returns',
      ],
      CHURN,
    );
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as {
      reference: { files: string[]; rows: number };
      current: { files: string[]; rows: number };
      columns: {
        column: string;
        method: string;
        measure: string;
        value: number;
        threshold: number;
        drift: boolean;
        ks: { exact: boolean };
      }[];
      driftedColumns: number;
      share: number;
      datasetDrift: boolean;
    };
    assert.deepEqual(report.reference, { files: ['data/churn.csv'], rows: 2000 });
    assert.deepEqual(report.current, { files: ['data/incoming/batch-001.csv'], rows: 500 });
    assert.deepEqual(
      report.columns.map((c) => [c.column, c.method, c.measure, c.threshold, c.drift, c.ks.exact]),
      [
        ['avg_order_value', 'ks', 'p_value', 0.05, true, true],
        ['num_returns', 'ks', 'p_value', 0.05, false, true],
      ],
    );
    assert.ok(report.columns[0]!.value < 1e-20);
    assert.equal(report.share, 0.5);
    assert.equal(report.datasetDrift, true);
  });

  it('reads a Parquet reference and several current files, reporting missing values and skipped columns', () => {
    const r = mlops([
      'drift',
      '--reference',
      `${FIXTURES}/reference.parquet`,
      '--current',
      `${FIXTURES}/current-1.csv`,
      '--current',
      `${FIXTURES}/current-2.csv`,
      '--ignore',
      'id',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Current: 2 files \(200 rows\)/);
    assert.match(r.stdout, /^age\s+ks\s+\S+\s+p=\S+\s+< 0\.05\s+DRIFT$/m);
    assert.match(r.stdout, /^score: \d+ missing in reference, \d+ in current \(left out\)$/m);
    assert.match(r.stdout, /No dataset drift: 1 of 5 columns drifted/);
  });

  it('exits 2 with a message naming a missing file or an empty glob', () => {
    const missing = mlops(['drift', '--reference', 'data/nope.csv', '--current', 'data/incoming/*.csv'], CHURN);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'mlops drift: reference file not found: data/nope.csv\n');
    const glob = mlops(['drift', '--reference', 'data/churn.csv', '--current', 'data/later/*.csv'], CHURN);
    assert.equal(glob.code, 2);
    assert.equal(glob.stderr, 'mlops drift: no file matches current pattern data/later/*.csv\n');
    const current = mlops(['drift', '--reference', 'data/churn.csv', '--current', 'data/gone.csv'], CHURN);
    assert.equal(current.stderr, 'mlops drift: current file not found: data/gone.csv\n');
  });

  it('exits 2 on bad usage: no --reference, an unknown method, column or option, a bad threshold', () => {
    const cases: [string[], RegExp][] = [
      [['--current', 'data/churn.csv'], /--reference FILE is required/],
      [['--reference', 'data/churn.csv'], /--current FILE\|GLOB is required/],
      [
        ['--reference', 'data/churn.csv', '--current', 'data/churn.csv', '--method', 'kl'],
        /--method must be auto or one of ks, chi2, z, psi, jensen_shannon, wasserstein, got 'kl'/,
      ],
      [
        ['--reference', 'data/churn.csv', '--current', 'data/churn.csv', '--columns', 'nope'],
        /reference data \(.*churn\.csv\) has no column 'nope'/,
      ],
      [['--reference', 'data/churn.csv', '--current', 'data/churn.csv', '--threshold', 'x'], /--threshold must be a number/],
      [['--reference', 'data/churn.csv', '--current', 'data/churn.csv', '--share', '2'], /--share must be a number from 0 to 1/],
      [['--reference', 'data/churn.csv', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = mlops(['drift', ...args], CHURN);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  it('prints its help, listed among the commands', () => {
    const r = mlops(['drift', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: mlops drift --reference FILE --current FILE\|GLOB \[options\]/);
    assert.match(mlops(['--help']).stdout, /^ {2}drift\s+Compare current data with reference data/m);
  });
});

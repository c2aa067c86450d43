import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTable } from '../../client/src/core/drift/dataTable';
import { mlops } from '../helpers/cli';

const FEATURES = `entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - name: stats
    type: file
    path: data/stats.csv
    timestamp_field: ts
    created_timestamp_column: created
    field_mapping: { cust: customer_id, spend_eur: spend }
feature_views:
  - name: customer_stats
    entities: [customer]
    ttl: 1h
    source: stats
    schema:
      - { name: spend, dtype: Float64 }
      - { name: visits, dtype: Int64 }
feature_services:
  - name: churn_v1
    features:
      - customer_stats: [visits, spend]
`;

const STATS = `cust,ts,created,spend_eur,visits
1,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,1.50,3
1,2026-01-01T01:00:00Z,2026-01-01T02:00:00Z,3.50,5
1,2026-01-01T01:00:00Z,2026-01-01T01:00:00Z,2.50,4
2,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,9.00,1
`;

const LABELS = `customer_id,event_timestamp,churned
1,2026-01-01 00:30:00,0
1,2026-01-01T01:30:00Z,1
2,2026-01-01T01:00:00,0
2,2026-01-01T01:00:01,1
3,2026-01-01T01:00:00,0
`;

describe('mlops features historical (the built bin)', () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(path.join(tmpdir(), 'mlops-features-'));
    writeFileSync(path.join(ws, 'shop.features.yaml'), FEATURES);
    mkdirSync(path.join(ws, 'data'));
    writeFileSync(path.join(ws, 'data', 'stats.csv'), STATS);
    writeFileSync(path.join(ws, 'labels.csv'), LABELS);
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('writes the training set of a service to stdout: entity columns, then the features in the service order', () => {
    const r = mlops(['features', 'historical', '--service', 'churn_v1', '--entities', 'labels.csv'], ws);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'customer_id,event_timestamp,churned,visits,spend',
        '1,2026-01-01 00:30:00,0,3,1.50',
        '1,2026-01-01T01:30:00Z,1,5,3.50',
        '2,2026-01-01T01:00:00,0,1,9.00',
        '2,2026-01-01T01:00:01,1,,',
        '3,2026-01-01T01:00:00,0,,',
        '',
      ].join('\n'),
    );
  });

  it('writes Parquet with full feature names, readable back', async () => {
    const r = mlops(
      [
        'features',
        'historical',
        '--features',
        'customer_stats:spend',
        '--entities',
        'labels.csv',
        '--full-feature-names',
        '-o',
        'out.parquet',
      ],
      ws,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /5 rows, 1 feature written to out\.parquet/);
    const back = await readTable(path.join(ws, 'out.parquet'));
    assert.deepEqual([...back.columns.keys()], ['customer_id', 'event_timestamp', 'churned', 'customer_stats__spend']);
    assert.deepEqual(back.columns.get('customer_stats__spend'), [1.5, 3.5, 9, null, null]);
    assert.equal(back.columns.get('event_timestamp')![1], '2026-01-01T01:30:00.000Z');
  });

  it('writes CSV to -o, and says what is wrong with exit code 2', () => {
    const ok = mlops(['features', 'historical', '--service', 'churn_v1', '--entities', 'labels.csv', '-o', 'train.csv'], ws);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(readFileSync(path.join(ws, 'train.csv'), 'utf8').split('\n')[0], 'customer_id,event_timestamp,churned,visits,spend');

    writeFileSync(path.join(ws, 'bad.csv'), 'customer_id,event_timestamp\n1,2026-01-01\n1,someday\n');
    const bad = mlops(['features', 'historical', '--service', 'churn_v1', '--entities', 'bad.csv'], ws);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.csv, column event_timestamp, row 3: "someday" is not a timestamp/);

    const missing = mlops(['features', 'historical', '--service', 'churn_v1', '--entities', 'nowhere.csv'], ws);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere\.csv: no such file/);

    const both = mlops(
      ['features', 'historical', '--service', 'churn_v1', '--features', 'customer_stats:spend', '--entities', 'labels.csv'],
      ws,
    );
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give --service NAME or --features/);
  });

  it("names the view's source when the worker that reads it finds it broken or gone, and writes nothing", () => {
    const stats = path.join(ws, 'data', 'stats.csv');
    try {
      writeFileSync(stats, `${STATS}2,2026-01-01T00:00:00Z,not yet,1.00,1\n`);
      const broken = mlops(['features', 'historical', '--service', 'churn_v1', '--entities', 'labels.csv', '-o', 'none.csv'], ws);
      assert.equal(broken.code, 2, broken.stderr);
      assert.match(
        broken.stderr,
        /stats\.csv \(source stats of view customer_stats\), column created, row 6: "not yet" is not a timestamp/,
      );
      rmSync(stats);
      const gone = mlops(['features', 'historical', '--service', 'churn_v1', '--entities', 'labels.csv', '-o', 'none.csv'], ws);
      assert.equal(gone.code, 2, gone.stderr);
      assert.match(gone.stderr, /stats\.csv \(source stats of view customer_stats\): no such file/);
      assert.equal(existsSync(path.join(ws, 'none.csv')), false);
    } finally {
      writeFileSync(stats, STATS);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cell, Table } from '../../client/src/core/drift/dataTable';
import { RetrievalError } from '../../client/src/core/features/pointInTime';
import { previewView } from '../../client/src/core/features/preview';
import { previewLines } from '../../client/src/core/features/previewText';
import type { ViewSpec } from '../../client/src/core/features/registry';

const view: ViewSpec = {
  name: 'customer_features',
  joinKeys: ['customer_id'],
  ttlMs: 86_400_000,
  online: true,
  source: {
    name: 'stats',
    file: '/w/data/stats.csv',
    timestampField: 'ts',
    columnOf: new Map([['spend', 'avg_spend']]),
  },
  fields: ['purchases', 'spend', 'plan'],
  dtypes: new Map([
    ['purchases', 'Int64'],
    ['spend', 'Float32'],
    ['plan', 'String'],
  ]),
  file: '/w/customer.features.yaml',
};

function table(columns: Record<string, Cell[]>): Table {
  return { files: ['/w/data/stats.csv'], rowCount: Object.values(columns)[0]!.length, columns: new Map(Object.entries(columns)) };
}

const data = table({
  customer_id: ['C1', 'C2', 'C3', 'C1', null],
  ts: ['2026-01-02T00:00:00Z', '2026-01-01 12:00:00', '2026-01-03T00:00:00+01:00', '2026-01-04T00:00:00Z', '2026-01-01T00:00:00Z'],
  purchases: ['3', '7', null, '3', 'x'],
  avg_spend: ['10.5', '20', '30.25', null, '12'],
  plan: ['pro', 'basic', 'pro', null, 'plus'],
  unused: ['a', 'b', 'c', 'd', 'e'],
});

describe('the preview of a feature view', () => {
  it('names the columns as the view does, keys and timestamp first, mapped fields from their source column', () => {
    const preview = previewView(view, data, 2);
    assert.deepEqual(
      preview.columns.map((c) => [c.name, c.role, c.sourceColumn ?? '']),
      [
        ['customer_id', 'join key', ''],
        ['ts', 'timestamp', ''],
        ['purchases', 'feature', ''],
        ['spend', 'feature', 'avg_spend'],
        ['plan', 'feature', ''],
      ],
    );
    assert.equal(preview.totalRows, 5);
    assert.deepEqual(preview.rows, [
      ['C1', '2026-01-02T00:00:00Z', '3', '10.5', 'pro'],
      ['C2', '2026-01-01 12:00:00', '7', '20', 'basic'],
    ]);
    assert.equal(preview.ttl, '1d');
  });

  it('counts, misses, distinct values, min, max and mean over every row; a non-number in a numeric field is counted apart', () => {
    const byName = new Map(previewView(view, data).columns.map((c) => [c.name, c]));
    const purchases = byName.get('purchases')!;
    assert.deepEqual([purchases.count, purchases.missing, purchases.distinct, purchases.min, purchases.max], [4, 1, 3, 3, 7]);
    assert.equal(purchases.mean, 13 / 3);
    assert.equal(purchases.invalid, 1);
    const spend = byName.get('spend')!;
    assert.deepEqual([spend.count, spend.missing, spend.min, spend.max, spend.mean], [4, 1, 10.5, 30.25, (10.5 + 20 + 30.25 + 12) / 4]);
    const time = byName.get('ts')!;
    assert.deepEqual([time.min, time.max], ['2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z']);
    const plan = byName.get('plan')!;
    assert.deepEqual([plan.count, plan.missing, plan.distinct, plan.min, plan.max, plan.mean], [4, 1, 3, 'basic', 'pro', undefined]);
    assert.equal(byName.get('customer_id')!.distinct, 3);
  });

  it('draws a histogram of each numeric field whose counts add up to its numbers', () => {
    const columns = previewView(view, data).columns;
    const purchases = columns.find((c) => c.name === 'purchases')!.histogram!;
    assert.equal(
      purchases.counts.reduce((a, b) => a + b, 0),
      3,
    );
    assert.ok(purchases.edges[0]! <= 3 && purchases.edges.at(-1)! > 7);
    assert.equal(
      columns.find((c) => c.name === 'spend')!.histogram!.counts.reduce((a, b) => a + b, 0),
      4,
    );
    assert.equal(columns.find((c) => c.name === 'plan')!.histogram, undefined);
  });

  it('names the file, the column and the field when the source lacks a column the view reads', () => {
    const missing = table({ customer_id: ['C1'], ts: ['2026-01-01'], purchases: ['1'], plan: ['pro'] });
    assert.throws(
      () => previewView(view, missing),
      (e: unknown) =>
        e instanceof RetrievalError &&
        /\/w\/data\/stats\.csv \(source stats of view customer_features\) has no column avg_spend \(field spend\)/.test(e.message),
    );
  });

  it('prints a statistics table and the rows as text, warning of values that are not numbers', () => {
    const lines = previewLines(previewView(view, data, 1), 'data/stats.csv');
    assert.equal(lines[0], 'customer_features: 5 rows in data/stats.csv (source stats), ttl 1d, online');
    assert.match(lines[2]!, /^column\s+role\s+dtype\s+count\s+missing\s+distinct\s+min\s+max\s+mean$/);
    assert.match(
      lines.find((l) => l.startsWith('spend'))!,
      /^spend \(avg_spend\)\s+feature\s+Float32\s+4\s+1\s+4\s+10\.5\s+30\.25\s+18\.1875$/,
    );
    assert.ok(lines.includes('warning: purchases: 1 value is not Int64'));
    assert.deepEqual(lines.slice(-2), [
      'customer_id  ts                    purchases  spend  plan',
      'C1           2026-01-02T00:00:00Z  3          10.5   pro',
    ]);
  });
});

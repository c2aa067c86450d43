import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cell, Table } from '../../client/src/core/drift/dataTable';
import {
  historicalFeatures,
  indexView,
  joinIndexed,
  requestedFeatures,
  RetrievalError,
  rowAsOf,
  sourceColumns,
  type ViewJoiner,
} from '../../client/src/core/features/pointInTime';
import type { FeatureRegistry, ViewSpec } from '../../client/src/core/features/registry';
import { parseTimestamp } from '../../client/src/core/features/timestamps';

const table = (file: string, header: string[], rows: Cell[][]): Table => ({
  files: [file],
  rowCount: rows.length,
  columns: new Map(header.map((h, c) => [h, rows.map((r) => r[c] ?? null)])),
});

const view = (name: string, ttlMs: number, fields: string[], extra: Partial<ViewSpec['source']> = {}): ViewSpec => ({
  name,
  joinKeys: ['customer_id'],
  ttlMs,
  online: false,
  fields,
  dtypes: new Map(fields.map((f) => [f, 'Float64'])),
  file: '/w/f.features.yaml',
  source: { name: `${name}_src`, file: `/w/${name}.csv`, timestampField: 'ts', columnOf: new Map(), ...extra },
});

const registry = (...views: ViewSpec[]): FeatureRegistry => ({
  views: new Map(views.map((v) => [v.name, v])),
  services: new Map([['svc', { name: 'svc', features: [{ view: views[0]!.name, field: views[0]!.fields[0]! }] }]]),
  entities: new Map([['customer', 'customer_id']]),
});

/** Views joined in this thread, from tables in memory (the CLI reads sources in workers). */
const joinInThread = (source: (view: ViewSpec) => Promise<Table>): ViewJoiner => ({
  async join(view, fields, entities, onProgress) {
    return joinIndexed(view, indexView(view, await source(view), fields), fields, entities, onProgress);
  },
});

describe('point-in-time retrieval', () => {
  it('reads ISO, pandas and naive timestamps as UTC milliseconds', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5);
    for (const text of [
      '2026-01-02T03:04:05Z',
      '2026-01-02 03:04:05',
      '2026-01-02T03:04:05',
      '2026-01-02T03:04:05+00:00',
      '2026-01-02T04:04:05+01:00',
    ])
      assert.equal(parseTimestamp(text), t, text);
    assert.equal(parseTimestamp('2026-01-02 03:04:05.250000'), t + 250);
    assert.equal(parseTimestamp('2026-01-02'), Date.UTC(2026, 0, 2));
    assert.ok(Number.isNaN(parseTimestamp('yesterday')));
    assert.equal(parseTimestamp('2024-02-29T23:59:59Z'), Date.UTC(2024, 1, 29, 23, 59, 59));
    assert.equal(parseTimestamp(' 2026-01-02T03:04:05Z '), t);
    // Whole seconds across four centuries, before and after 1970, as Date writes them.
    for (let i = 0, seed = 11; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const ms = Math.round((seed / 2147483648) * 1.26e10 - 6.3e9) * 1000;
      const iso = new Date(ms).toISOString();
      assert.equal(parseTimestamp(iso.replace('.000Z', 'Z')), ms, iso);
      assert.equal(parseTimestamp(iso.slice(0, 10)), Date.parse(iso.slice(0, 10)), iso);
    }
    for (const text of [
      '2026-02-29',
      '2026-04-31T00:00:00Z',
      '2026-13-01',
      '2026-01-02T24:00:00Z',
      '2026-01-02T03:60:05Z',
      '2026-01-02T03:04:05X',
    ])
      assert.ok(Number.isNaN(parseTimestamp(text)), text);
  });

  it('takes the latest row at or before the time, within the ttl (the boundary in, one second past out)', () => {
    const times = Float64Array.from([0, 1000, 5000]);
    const rows = Int32Array.from([0, 1, 2]);
    assert.equal(rowAsOf(rows, times, 999, 0), 0);
    assert.equal(rowAsOf(rows, times, 1000, 0), 1);
    assert.equal(rowAsOf(rows, times, -1, 0), -1);
    assert.equal(rowAsOf(rows, times, 6000, 1000), 2);
    assert.equal(rowAsOf(rows, times, 6001, 1000), -1);
    assert.equal(rowAsOf(rows, times, 4999, 0), 1);
  });

  it('joins every entity row in order, breaks timestamp ties by created time, and leaves no match empty', async () => {
    const v = view('stats', 3_600_000, ['spend'], { createdTimestampColumn: 'created' });
    const source = table(
      '/w/stats.csv',
      ['customer_id', 'ts', 'created', 'spend'],
      [
        ['1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '1.5'],
        ['1', '2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', '3.5'],
        ['1', '2026-01-01T01:00:00Z', '2026-01-01T01:00:00Z', '2.5'],
        ['2', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '9'],
      ],
    );
    const entities = table(
      '/w/labels.csv',
      ['label', 'customer_id', 'event_timestamp'],
      [
        ['a', '1', '2026-01-01 00:30:00'],
        ['b', '1', '2026-01-01T01:30:00Z'],
        ['c', '2', '2026-01-01T01:00:00'],
        ['d', '2', '2026-01-01T01:00:01'],
        ['e', '3', '2026-01-01T01:00:00'],
        ['f', '1', '2025-12-31T00:00:00'],
      ],
    );
    const features = requestedFeatures(registry(v), { features: ['stats:spend'] }, false);
    const result = await historicalFeatures(
      entities,
      features,
      joinInThread(async () => source),
    );
    assert.deepEqual([...result.columns.keys()], ['label', 'customer_id', 'event_timestamp', 'spend']);
    assert.deepEqual(result.columns.get('spend'), ['1.5', '3.5', '9', null, null, null]);
    assert.deepEqual(result.columns.get('label'), ['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('honours field_mapping, names columns view__field on request, and refuses two views giving one name', async () => {
    const a = view('orders', 0, ['total'], { columnOf: new Map([['total', 'order_total']]) });
    const b = view('refunds', 0, ['total']);
    const reg = registry(a, b);
    assert.throws(
      () => requestedFeatures(reg, { features: ['orders:total', 'refunds:total'] }, false),
      (e: unknown) => e instanceof RetrievalError && /feature views orders and refunds both give total/.test(e.message),
    );
    const features = requestedFeatures(reg, { features: ['orders:total', 'refunds:total'] }, true);
    assert.deepEqual(
      features.map((f) => f.column),
      ['orders__total', 'refunds__total'],
    );
    const entities = table('/w/e.csv', ['customer_id', 'event_timestamp'], [['1', '2026-01-02']]);
    const sources: Record<string, Table> = {
      orders: table('/w/orders.csv', ['customer_id', 'ts', 'order_total'], [['1', '2026-01-01', '10']]),
      refunds: table('/w/refunds.csv', ['customer_id', 'ts', 'total'], [['1', '2026-01-01', '-2']]),
    };
    const result = await historicalFeatures(
      entities,
      features,
      joinInThread(async (v) => sources[v.name]!),
    );
    assert.deepEqual(result.columns.get('orders__total'), ['10']);
    assert.deepEqual(result.columns.get('refunds__total'), ['-2']);
  });

  it('names the file, column and row of what it cannot read', async () => {
    const v = view('stats', 0, ['spend']);
    const features = requestedFeatures(registry(v), { service: 'svc' }, false);
    const good = table('/w/stats.csv', ['customer_id', 'ts', 'spend'], [['1', '2026-01-01', '1']]);
    await assert.rejects(
      historicalFeatures(
        table('/w/e.csv', ['customer_id', 'when'], [['1', '2026-01-01']]),
        features,
        joinInThread(async () => good),
      ),
      /\/w\/e\.csv has no column event_timestamp/,
    );
    await assert.rejects(
      historicalFeatures(
        table('/w/e.csv', ['id', 'event_timestamp'], [['1', '2026-01-01']]),
        features,
        joinInThread(async () => good),
      ),
      /\/w\/e\.csv has no column customer_id \(the join key customer_id\)/,
    );
    await assert.rejects(
      historicalFeatures(
        table(
          '/w/e.csv',
          ['customer_id', 'event_timestamp'],
          [
            ['1', '2026-01-01'],
            ['2', 'soon'],
          ],
        ),
        features,
        joinInThread(async () => good),
      ),
      /\/w\/e\.csv, column event_timestamp, row 3: "soon" is not a timestamp/,
    );
    const bad = table('/w/stats.csv', ['customer_id', 'ts', 'spend'], [['1', 'never', '1']]);
    await assert.rejects(
      historicalFeatures(
        table('/w/e.csv', ['customer_id', 'event_timestamp'], [['1', '2026-01-01']]),
        features,
        joinInThread(async () => bad),
      ),
      /\/w\/stats\.csv \(source stats_src of view stats\), column ts, row 2: "never" is not a timestamp/,
    );
    const withCreated = view('stats', 0, ['spend'], { createdTimestampColumn: 'created' });
    assert.throws(
      () => sourceColumns(withCreated, good, ['spend']),
      /\/w\/stats\.csv \(source stats_src of view stats\) has no created timestamp column created/,
    );
    assert.throws(() => requestedFeatures(registry(v), { features: ['stats:nope'] }, false), /feature view stats has no field nope/);
    assert.throws(() => requestedFeatures(registry(v), { service: 'other' }, false), /no feature service other/);
  });
});

import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mlops, startServe } from '../helpers/cli';

const FEATURES = `entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - { name: stats, type: file, path: stats.csv, timestamp_field: ts }
feature_views:
  - name: customer_stats
    entities: [customer]
    ttl: 1h
    online: true
    source: stats
    schema:
      - { name: spend, dtype: Float64 }
      - { name: visits, dtype: Int64 }
      - { name: plan, dtype: String }
  - name: offline_only
    entities: [customer]
    source: stats
    schema:
      - { name: visits, dtype: Int64 }
`;

const iso = (ms: number) => new Date(ms).toISOString();

describe('mlops features materialize and online (the built bin), and POST /get-online-features', () => {
  let ws: string;
  const now = Date.now();
  const env = { ...process.env };
  delete env.MLFLOW_TRACKING_URI;

  before(() => {
    ws = mkdtempSync(path.join(tmpdir(), 'mlops-online-'));
    writeFileSync(path.join(ws, 'shop.features.yaml'), FEATURES);
    writeFileSync(
      path.join(ws, 'stats.csv'),
      [
        'customer_id,ts,spend,visits,plan',
        `C1,${iso(now - 50 * 60_000)},10.5,3,basic`,
        `C1,${iso(now - 20 * 60_000)},12.25,4,pro`,
        `C2,${iso(now - 2 * 3_600_000)},99,1,basic`,
        `C3,${iso(now - 10 * 60_000)},7,2,`,
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('materializes the online views only, the latest row per key', () => {
    const r = mlops(['features', 'materialize'], ws, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^customer_stats: 4 rows up to .*, 3 entity keys written\n$/);
    const refused = mlops(['features', 'materialize', '--views', 'offline_only'], ws, env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /feature view offline_only is not online \(set online: true in .*shop\.features\.yaml\)/);
  });

  it('looks keys up with statuses: PRESENT with typed values, OUTSIDE_MAX_AGE past the ttl, NOT_FOUND', () => {
    const r = mlops(
      [
        'features',
        'online',
        '--features',
        'customer_stats:spend,customer_stats:visits,customer_stats:plan',
        '--entity',
        'customer_id=C1',
        '--entity',
        'customer_id=C2',
        '--entity',
        'customer_id=C9',
        '--json',
      ],
      ws,
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout) as {
      metadata: { feature_names: string[] };
      results: { values: unknown[]; statuses: string[]; event_timestamps: string[] }[];
    };
    assert.deepEqual(answer.metadata.feature_names, ['customer_id', 'spend', 'visits', 'plan']);
    assert.deepEqual(answer.results[0]!.values, ['C1', 'C2', 'C9']);
    assert.deepEqual(answer.results[1]!.values, [12.25, null, null]);
    assert.deepEqual(answer.results[1]!.statuses, ['PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND']);
    assert.deepEqual(answer.results[2]!.values, [4, null, null]);
    assert.deepEqual(answer.results[3]!.values, ['pro', null, null]);
    assert.equal(Date.parse(answer.results[1]!.event_timestamps[0]!), now - 20 * 60_000);
    assert.equal(answer.results[1]!.event_timestamps[2], '1970-01-01T00:00:00Z');
  });

  it('a later materialization reads only newer rows, and a newer value wins', () => {
    appendFileSync(path.join(ws, 'stats.csv'), `C3,${iso(now - 60_000)},8.5,5,pro\nC1,${iso(now - 40 * 60_000)},1,1,old\n`);
    const r = mlops(['features', 'materialize'], ws, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /customer_stats: 0 rows after/);
    // The appended rows are older than the last end (now, at the first materialization): only --start reads them.
    const again = mlops(['features', 'materialize', '--start', iso(now - 3_600_000)], ws, env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /customer_stats: 5 rows from \S+ up to \S+, 2 entity keys written/);
    const looked = mlops(
      ['features', 'online', '--features', 'customer_stats:spend', '--entity', 'customer_id=C3', '--entity', 'customer_id=C1', '--json'],
      ws,
      env,
    );
    const answer = JSON.parse(looked.stdout) as { results: { values: unknown[] }[] };
    assert.deepEqual(answer.results[1]!.values, [8.5, 12.25], 'C1 keeps its newer row');
  });

  it("answers POST /get-online-features with Feast's shapes, behind the endpoint's token", async () => {
    const { process: serve, url, token } = await startServe(ws, [], env);
    try {
      const post = (body: unknown, auth = `Bearer ${token}`) =>
        fetch(`${url}/get-online-features`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      const ok = await post({ features: ['customer_stats:visits'], entities: { customer_id: ['C3', 'C9'] }, full_feature_names: true });
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), {
        metadata: { feature_names: ['customer_id', 'customer_stats__visits'] },
        results: [
          { values: ['C3', 'C9'], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
          {
            values: [5, null],
            statuses: ['PRESENT', 'NOT_FOUND'],
            event_timestamps: [new Date(now - 60_000).toISOString().replace('.000Z', 'Z'), '1970-01-01T00:00:00Z'],
          },
        ],
      });
      // A materialization through the endpoint (the store is held by serve) shows in the next lookup.
      // The new row is later than the last materialization's end, which an incremental one starts from.
      appendFileSync(path.join(ws, 'stats.csv'), `C9,${iso(Date.now())},3,42,pro\n`);
      const through = mlops(['features', 'materialize'], ws, env);
      assert.equal(through.code, 0, through.stderr);
      assert.match(through.stdout, /customer_stats: 1 row after \S+ up to \S+, 1 entity key written/);
      const fresh = await post({ features: ['customer_stats:visits'], entities: { customer_id: ['C9'] } });
      const answer = (await fresh.json()) as { results: { values: unknown[]; statuses: string[] }[] };
      assert.deepEqual(answer.results[1], { ...answer.results[1], values: [42], statuses: ['PRESENT'] });
      const missingToken = await post({ features: ['customer_stats:visits'], entities: { customer_id: ['C3'] } }, '');
      assert.equal(missingToken.status, 401);
      const unknown = await post({ features: ['customer_stats:nope'], entities: { customer_id: ['C3'] } });
      assert.equal(unknown.status, 400);
      assert.match(((await unknown.json()) as { message: string }).message, /feature view customer_stats has no field nope/);
      const wrongShape = await post({ entities: { customer_id: ['C3'] } });
      assert.equal(wrongShape.status, 400);
      assert.match(((await wrongShape.json()) as { message: string }).message, /give 'features' or 'feature_service'/);
    } finally {
      serve.kill();
      await new Promise((resolve) => (serve.exitCode !== null ? resolve(undefined) : serve.once('exit', resolve)));
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { onlineFeaturesEndpoint } from '../../client/src/core/features/onlineEndpoint';
import type { OnlineRow, TrackingApi } from '../../client/src/core/tracking/repository';

const features = (field: string) => `entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - { name: stats, type: file, path: stats.csv, timestamp_field: ts }
feature_views:
  - name: stats
    entities: [customer]
    online: true
    source: stats
    schema:
      - { name: ${field}, dtype: Float64 }
`;

describe('POST /get-online-features: definitions and rows held by the endpoint', () => {
  let ws: string;
  const asked: string[] = [];
  const rows: OnlineRow[] = [{ entity_key: 'C1', event_time: Date.now(), values: { spend: 1.5, visits: 3 } } as OnlineRow];
  // The store's side: counts the reads, so that the test sees what the endpoint holds.
  const api = {
    getOnlineRows: async (req: { view: string; entity_keys?: string[] }) => {
      asked.push(req.view);
      return { rows, truncated: false };
    },
  } as unknown as TrackingApi;
  before(() => {
    ws = mkdtempSync(path.join(tmpdir(), 'mlops-endpoint-'));
    writeFileSync(path.join(ws, 'shop.features.yaml'), features('spend'));
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('answers from rows held in memory, reads the definitions again in the background, and fails once they break', async () => {
    let listener: ((changes: { kind: string; ids: string[] }[]) => void) | undefined;
    const endpoint = onlineFeaturesEndpoint(api, ws, (l) => {
      listener = l as typeof listener;
      return { dispose() {} };
    });
    const ask = (field: string) => endpoint({ features: [`stats:${field}`], entities: { customer_id: ['C1', 'C9'] } });
    const first = (await ask('spend')) as { results: { values: unknown[]; statuses: string[] }[] };
    assert.deepEqual(first.results[1]!.values, [1.5, null]);
    assert.deepEqual(first.results[1]!.statuses, ['PRESENT', 'NOT_FOUND']);
    await ask('spend');
    assert.deepEqual(asked, ['stats'], 'the rows are read once and then held');
    listener!([{ kind: 'online', ids: ['stats'] }]);
    await ask('spend');
    assert.deepEqual(asked, ['stats', 'stats'], 'a materialisation of the view drops what was held');

    // The definitions change: past the two seconds, the request that notices answers from the old
    // ones while the new ones are read; the next one sees them.
    writeFileSync(path.join(ws, 'shop.features.yaml'), features('visits'));
    await sleep(2100);
    await assert.doesNotReject(ask('spend'));
    await sleep(200);
    await assert.rejects(ask('spend'), /feature view stats has no field spend \(it has visits\)/);
    assert.deepEqual(((await ask('visits')) as { results: { values: unknown[] }[] }).results[1]!.values, [3, null]);

    // A broken features file fails the lookups after it is read, with its own message.
    writeFileSync(path.join(ws, 'shop.features.yaml'), 'feature_views: [\n');
    await sleep(2100);
    await ask('visits').catch(() => undefined);
    await sleep(200);
    await assert.rejects(ask('visits'), /shop\.features\.yaml:2:1: /);
  });
});

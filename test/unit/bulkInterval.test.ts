import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { BulkIntervalSeries } from '../../client/src/core/tracking/remote/bulkInterval';
import { requestOptionsFromEnv } from '../../client/src/core/tracking/rest/request';
import { sampledSteps } from '../../client/src/core/tracking/rest/routes/bulkInterval';

describe('get-history-bulk-interval', () => {
  it('sends every step that fits; past that, evenly spread steps and always the last', () => {
    const steps = Array.from({ length: 100 }, (_, i) => i * 2);
    assert.deepEqual([...sampledSteps(steps, 10, 20, 10)], [10, 12, 14, 16, 18, 20]);
    const picked = [...sampledSteps(steps, -Infinity, Infinity, 10)].sort((a, b) => a - b);
    assert.deepEqual(picked, [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 198]);
    assert.deepEqual([...sampledSteps(steps, 500, 600, 10)], []);
  });

  it('asks a server without it once, then leaves it to get-history; the time axis and live appends never ask', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<!doctype html><title>404 Not Found</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const bulk = new BulkIntervalSeries(url, { token: 't' }, { ...requestOptionsFromEnv({}), maxRetries: 0 });
      assert.equal(await bulk.series({ run_id: 'r', metric_key: 'loss', x_axis: 'time' }), undefined);
      assert.equal(await bulk.series({ run_id: 'r', metric_key: 'loss', after_step: 3 }), undefined);
      assert.equal(seen.length, 0);
      assert.equal(await bulk.series({ run_id: 'r', metric_key: 'loss', min_x: 5, max_x: 9 }), undefined);
      assert.equal(seen.length, 1);
      assert.match(
        seen[0]!,
        /^\/ajax-api\/2\.0\/mlflow\/metrics\/get-history-bulk-interval\?run_ids=r&metric_key=loss&max_results=2000&start_step=5&end_step=9$/,
      );
      assert.equal(await bulk.series({ run_id: 'r', metric_key: 'loss' }), undefined);
      assert.equal(seen.length, 1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

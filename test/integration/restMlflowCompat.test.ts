import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServe } from '../helpers/cli';

// What the MLflow 2.12.2 Python client relies on, over real HTTP against the built `mlops serve`.
describe('mlops serve: MLflow client compatibility (the built bin)', () => {
  let ws: string;
  let serve: ChildProcess;
  let url = '';
  let token = '';

  const post = async (p: string, body: unknown, auth = true) => {
    const r = await fetch(`${url}${p}`, {
      method: 'POST',
      headers: { ...(auth ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };
  const call = async (method: 'GET' | 'POST', p: string, body: Record<string, unknown>) => {
    const r =
      method === 'GET'
        ? await fetch(`${url}/api/2.0/mlflow/${p}?${new URLSearchParams(body as Record<string, string>)}`, {
            headers: { Authorization: `Bearer ${token}` },
          })
        : await fetch(`${url}/api/2.0/mlflow/${p}`, {
            method,
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };

  before(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'mlops-compat-'));
    ({ process: serve, url, token } = await startServe(ws));
  });

  after(async () => {
    if (serve.exitCode === null) {
      serve.kill('SIGTERM');
      await once(serve, 'exit');
    }
    rmSync(ws, { recursive: true, force: true });
  });

  it('accepts a 4,000-emoji param (code points, not UTF-16 units) and reads it back intact', async () => {
    const emoji = '\u{1F600}'.repeat(4000);
    const created = await call('POST', 'runs/create', { experiment_id: '0', start_time: Date.now() });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const runId = (created.json as { run: { info: { run_id: string } } }).run.info.run_id;

    const single = await call('POST', 'runs/log-parameter', { run_id: runId, key: 'emoji', value: emoji });
    assert.equal(single.status, 200, JSON.stringify(single.json));
    const batch = await call('POST', 'runs/log-batch', { run_id: runId, params: [{ key: 'emoji_batch', value: emoji }] });
    assert.equal(batch.status, 200, JSON.stringify(batch.json));

    const got = await call('GET', 'runs/get', { run_id: runId });
    assert.equal(got.status, 200);
    const params = (got.json as { run: { data: { params: { key: string; value: string }[] } } }).run.data.params;
    assert.equal(params.find((p) => p.key === 'emoji')?.value, emoji);
    assert.equal(params.find((p) => p.key === 'emoji_batch')?.value, emoji);

    const tooLong = await call('POST', 'runs/log-parameter', { run_id: runId, key: 'too_long', value: '\u{1F600}'.repeat(6001) });
    assert.equal(tooLong.status, 400);
    assert.deepEqual(tooLong.json, {
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "'value' exceeds the maximum length of 6000 characters",
    });
  });

  const MPU = ['create', 'complete', 'abort'].map((step) => `/api/2.0/mlflow-artifacts/mpu/${step}/1/abc/artifacts/model.pkl`);

  it('answers the multipart upload routes with 501 NOT_IMPLEMENTED, so the client falls back to one PUT', async () => {
    const bodies = [
      { path: 'model.pkl', num_parts: 3 },
      { path: 'model.pkl', upload_id: 'u', parts: [{ part_number: 1, etag: 'e' }] },
      { path: 'model.pkl', upload_id: 'u' },
    ];
    for (const [i, route] of MPU.entries()) {
      const r = await post(route, bodies[i]);
      assert.equal(r.status, 501, route);
      assert.deepEqual(r.json, {
        error_code: 'NOT_IMPLEMENTED',
        message: 'Multipart upload is not supported for the current artifact repository',
      });
    }
  });

  it('requires the bearer token on the multipart upload routes', async () => {
    for (const route of MPU) {
      const r = await post(route, { path: 'model.pkl' }, false);
      assert.equal(r.status, 401, route);
      assert.equal(r.json.error_code, 'UNAUTHENTICATED');
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { drainAbandoned, outboxDir, pendingCount, SpoolingApi } from '../../client/src/core/tracking/remote/outbox';
import type { TrackingApi } from '../../client/src/core/tracking/repository';
import { MlflowError } from '../../client/src/core/tracking/repository/errors';

const URL = 'http://team.example:5000';

/** A server that is down while `down` is true and records what it takes (the boundary faked). */
function fakeServer() {
  const state = { down: false, taken: [] as string[], refuse: new Set<string>() };
  const api = new Proxy({} as TrackingApi, {
    get: (_t, op) => async (message: { key?: string; run_id?: string }) => {
      if (state.down) throw new Error('POST http://team.example:5000/api/2.0/mlflow/runs/set-tag: connection refused (ECONNREFUSED)');
      if (message.key && state.refuse.has(message.key)) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', 'Run not found');
      state.taken.push(`${String(op)}:${message.key ?? ''}`);
      return { ok: true };
    },
  });
  return { state, api };
}

describe('the outbox (SpoolingApi)', () => {
  const dirs: string[] = [];
  const workspace = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-outbox-unit-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps writes the server did not take, in order, and sends them in order once it answers', async () => {
    const ws = workspace();
    const { state, api } = fakeServer();
    const spooled: number[] = [];
    const spool = new SpoolingApi(api, ws, URL, ({ pending }) => spooled.push(pending), 60_000);
    await spool.api.setTag({ run_id: 'r', key: 'a', value: '1' });
    state.down = true;
    assert.deepEqual(await spool.api.setTag({ run_id: 'r', key: 'b', value: '1' }), {});
    state.down = false;
    // The server is back, but c must not overtake b.
    await spool.api.setTag({ run_id: 'r', key: 'c', value: '1' });
    assert.deepEqual(state.taken, ['setTag:a']);
    assert.equal(spool.pending, 2);
    assert.equal(pendingCount(ws, URL), 2);
    // Reads are never spooled.
    assert.deepEqual(await spool.api.getRun({ run_id: 'r' }), { ok: true });
    await spool.flush();
    assert.deepEqual(state.taken, ['setTag:a', 'getRun:', 'setTag:b', 'setTag:c']);
    assert.equal(spool.pending, 0);
    assert.deepEqual(readdirSync(outboxDir(ws)), []);
    await spool.api.setTag({ run_id: 'r', key: 'd', value: '1' });
    assert.equal(state.taken.at(-1), 'setTag:d');
    assert.deepEqual(spooled, [1, 2]);
    spool.dispose();
  });

  it('a refusal is not spooled: the caller sees the server say why', async () => {
    const ws = workspace();
    const { state, api } = fakeServer();
    state.refuse.add('x');
    const spool = new SpoolingApi(api, ws, URL, () => undefined, 60_000);
    await assert.rejects(spool.api.setTag({ run_id: 'r', key: 'x', value: '1' }), /Run not found/);
    assert.equal(spool.pending, 0);
    spool.dispose();
  });

  it('a flush while the server is still away keeps everything, and writes made meanwhile stay behind', async () => {
    const ws = workspace();
    const { state, api } = fakeServer();
    const spool = new SpoolingApi(api, ws, URL, () => undefined, 60_000);
    state.down = true;
    await spool.api.logParam({ run_id: 'r', key: 'p1', value: '1' });
    await spool.flush();
    await spool.api.logParam({ run_id: 'r', key: 'p2', value: '1' });
    assert.equal(spool.pending, 2);
    state.down = false;
    await spool.flush();
    await spool.flush();
    assert.deepEqual(state.taken, ['logParam:p1', 'logParam:p2']);
    assert.equal(pendingCount(ws, URL), 0);
    spool.dispose();
  });

  it("another process's journal is sent only once its writer is gone; a torn last line is skipped", async () => {
    const ws = workspace();
    const { state, api } = fakeServer();
    const spool = new SpoolingApi(api, ws, URL, () => undefined, 60_000);
    state.down = true;
    await spool.api.setTag({ run_id: 'r', key: 'mine', value: '1' });
    spool.dispose();
    const [mine] = readdirSync(outboxDir(ws));
    // A journal left by a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
    const gone = mine!.replace(`-${process.pid}-`, `-${2 ** 22 + 1}-`).replace(/-\d+-(\d+)\.jsonl$/, '-1-$1.jsonl');
    writeFileSync(
      path.join(outboxDir(ws), gone),
      `${JSON.stringify({ v: 1, server: URL, op: 'setTag', message: { run_id: 'r', key: 'left' }, time: 1 })}\n{"v":1,"ser`,
    );
    state.down = false;
    const result = await drainAbandoned(api, ws, URL);
    assert.deepEqual(result, { sent: 1, left: 0 });
    assert.deepEqual(state.taken, ['setTag:left']);
    // This process's own journal is still its own to send.
    assert.equal(pendingCount(ws, URL), 1);
    assert.match(String(mine), new RegExp(`-${process.pid}-`));
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { after, afterEach, describe, it, mock } from 'node:test';
import { TrackingEngine } from '../../client/src/core/tracking/engine/engine';
import type { Durability } from '../../client/src/core/tracking/engine/journal';
import { defaultSavePolicy } from '../../client/src/core/tracking/engine/saveScheduler';
import { logCollector, tempWorkspace } from '../helpers/trackingFiles';
import { points, testBinding, type TestRepository } from '../helpers/trackingTestRepository';

// Group commit: a write is acknowledged once its journal line is on disk, and the writes appended
// together share one fdatasync (the file system boundary is faked only to count and delay the syncs).

const { dirs, cleanup } = tempWorkspace();
after(cleanup);
afterEach(() => mock.restoreAll());

type SyncCallback = (error: NodeJS.ErrnoException | null) => void;

async function engineWithRun(durability: Durability) {
  const engine = await TrackingEngine.open<TestRepository>({
    workspaceDir: dirs(),
    binding: testBinding,
    log: logCollector().log,
    savePolicy: defaultSavePolicy(3_600_000),
    durability,
  });
  const { experiment_id } = engine.call('createExperiment', [{ name: 'e' }]) as { experiment_id: string };
  const runId = (engine.call('createRun', [{ experiment_id }]) as { run: { info: { run_id: string } } }).run.info.run_id;
  await engine.whenDurable();
  return { engine, log: (from: number) => engine.call('logBatch', [{ run_id: runId, metrics: points(from, 10) }]) };
}

/** Counts fdatasync calls; `hold` keeps each one's callback until released. */
function watchSyncs(options: { hold?: boolean; fail?: string } = {}) {
  const real = fs.fdatasync;
  const held: (() => void)[] = [];
  const calls = mock.method(fs, 'fdatasync', (fd: number, callback: SyncCallback) => {
    if (options.fail) {
      const error: NodeJS.ErrnoException = Object.assign(new Error(`${options.fail}: simulated`), { code: options.fail });
      setImmediate(() => callback(error));
      return;
    }
    const run = () => real(fd, callback);
    if (options.hold) held.push(run);
    else run();
  });
  return { count: () => calls.mock.callCount(), release: () => held.splice(0).forEach((run) => run()) };
}

function settled(promise: Promise<unknown>): { done: boolean } {
  const state = { done: false };
  void promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

describe('tracking engine: group commit (fsync durability)', () => {
  it('shares one fdatasync among 50 writes appended in the same turn', async () => {
    const { engine, log } = await engineWithRun('fsync');
    const syncs = watchSyncs({ hold: true });
    const acks = Array.from({ length: 50 }, (_, i) => {
      log(i * 10);
      return engine.whenDurable();
    });
    const all = settled(Promise.all(acks));
    await tick();
    await tick();
    assert.equal(syncs.count(), 1, 'one fdatasync for the whole group');
    assert.equal(all.done, false, 'nothing acknowledged before the sync completes');
    syncs.release();
    await Promise.all(acks);
    assert.equal(syncs.count(), 1);
    await engine.close();
  });

  it('writes appended while a sync runs wait for the next one', async () => {
    const { engine, log } = await engineWithRun('fsync');
    const syncs = watchSyncs({ hold: true });
    log(0);
    const first = engine.whenDurable();
    await tick();
    await tick();
    assert.equal(syncs.count(), 1, 'the first sync is running');
    log(10);
    const second = engine.whenDurable();
    const secondState = settled(second);
    syncs.release();
    await first;
    await tick();
    assert.equal(secondState.done, false, 'the later write is not covered by the earlier sync');
    assert.equal(syncs.count(), 2, 'its own sync started once the first ended');
    syncs.release();
    await second;
    // A read after both waits for nothing more.
    assert.equal(engine.call('countMetrics', [{}]), 20);
    await engine.whenDurable();
    assert.equal(syncs.count(), 2);
    await engine.close();
  });

  it('a failed sync is an error for its writes, never an acknowledgement ("disk full" for ENOSPC)', async () => {
    const { engine, log } = await engineWithRun('fsync');
    watchSyncs({ fail: 'ENOSPC' });
    log(0);
    await assert.rejects(engine.whenDurable(), (error: Error & { errorCode?: string }) => {
      assert.equal(error.errorCode, 'INTERNAL_ERROR');
      assert.match(error.message, /^disk full: could not sync the tracking journal .*ENOSPC/);
      return true;
    });
    mock.restoreAll();
    log(10);
    await engine.whenDurable();
    await engine.close();
  });
});

describe('tracking engine: process durability', () => {
  it('acknowledges at once, without fdatasync', async () => {
    const { engine, log } = await engineWithRun('process');
    const syncs = watchSyncs();
    for (let i = 0; i < 20; i++) log(i * 10);
    const ack = settled(engine.whenDurable());
    await Promise.resolve();
    assert.equal(ack.done, true);
    await tick();
    assert.equal(syncs.count(), 0);
    await engine.close();
  });
});

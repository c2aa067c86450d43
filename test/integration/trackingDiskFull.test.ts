import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeFrames } from '../../client/src/core/tracking/engine/journalFormat';
import { startRestServer, type RestServer } from '../../client/src/core/tracking/rest/server';
import { openTrackingStore, type TrackingStore } from '../../client/src/core/tracking/store';
import { logCollector } from '../helpers/trackingFiles';
import { integrityCheck, restPost } from '../helpers/trackingDurability';

// Disk full, on a real small filesystem: a 4 MiB tmpfs mounted for the test (root only; elsewhere the
// test is skipped and says why). The store (in its worker) and its REST endpoint write there; the disk is
// filled, a write gets MLflow's INTERNAL_ERROR saying "disk full", never an acknowledgement; a save fails
// leaving the old image and the journal as they were; space comes back and everything works again.

const base = mkdtempSync(path.join(tmpdir(), 'mlops-disk-full-'));
const mountPoint = path.join(base, 'fs');
const mounted = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'not root on Linux: cannot mount a tmpfs';
  spawnSync('mkdir', ['-p', mountPoint]);
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { encoding: 'utf8' });
  return result.status === 0 ? true : `mount -t tmpfs failed (${(result.stderr || result.error?.message || '').trim()})`;
})();
const skip = mounted === true ? false : `needs a small filesystem: ${mounted}`;
if (skip) console.log(`# trackingDiskFull: skipped, ${skip}`);

after(() => {
  if (mounted === true) spawnSync('umount', [mountPoint]);
  rmSync(base, { recursive: true, force: true });
});

const FILLER = path.join(mountPoint, 'filler');

/** Writes the filler file until the filesystem refuses (ENOSPC); returns its size. */
function fillDisk(): number {
  const fd = openSync(FILLER, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  let size = 0;
  try {
    for (;;) size += writeSync(fd, chunk);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
  return size;
}

const points = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ key: 'loss', value: from + i, timestamp: 1_700_000_000_000 + from + i, step: from + i }));

describe('tracking store: disk full (a 4 MiB tmpfs)', { skip }, () => {
  let store: TrackingStore;
  let server: RestServer;
  const log = logCollector();
  const post = (route: string, body: unknown) => restPost(server.url, server.token, route, body);

  before(async () => {
    store = await openTrackingStore({ workspaceDir: mountPoint, log: log.log, saveDelayMs: 3_600_000 });
    server = await startRestServer({ api: store.api, artifactRoot: store.paths.artifacts });
  });

  after(async () => {
    await server?.close();
    await store?.close().catch(() => undefined);
  });

  it('answers INTERNAL_ERROR "disk full", keeps the store consistent, and recovers when space returns', async () => {
    const experiment = await post('experiments/create', { name: 'full' });
    assert.equal(experiment.status, 200);
    const created = await post('runs/create', { experiment_id: experiment.json['experiment_id'], start_time: 0 });
    const runId = (created.json['run'] as { info: { run_id: string } }).info.run_id;
    const acked: number[] = [];
    for (let b = 0; b < 3; b++) {
      const answer = await post('runs/log-batch', { run_id: runId, metrics: points(b * 1000, 1000) });
      assert.equal(answer.status, 200);
      acked.push(b);
    }
    await store.flush();
    const image = readFileSync(store.paths.db);

    // Logged after the save: in the journal only.
    assert.equal((await post('runs/log-batch', { run_id: runId, metrics: points(3000, 1000) })).status, 200);
    acked.push(3);
    const journalBefore = readFileSync(store.paths.journal);

    assert.ok(fillDisk() > 0);
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await post('runs/log-batch', { run_id: runId, metrics: points(10_000 + attempt * 1000, 1000) });
      assert.equal(refused.status, 500, JSON.stringify(refused.json));
      assert.equal(refused.json['error_code'], 'INTERNAL_ERROR');
      assert.match(String(refused.json['message']), /^disk full: could not append to the tracking journal .*journal \(ENOSPC/);
    }
    assert.deepEqual(readFileSync(store.paths.journal), journalBefore, 'the refused writes left no bytes in the journal');
    assert.equal(decodeFrames(journalBefore).badBytes, 0);

    // A save cannot write the image now: the old image stays, the journal keeps every acknowledged write.
    await assert.rejects(store.flush(), /ENOSPC/);
    assert.match(log.text(), /error: Saving the tracking database failed \(the journal keeps every write\).*ENOSPC/);
    assert.deepEqual(readFileSync(store.paths.db), image, 'the old image is untouched');
    const mlops = path.dirname(store.paths.db);
    assert.deepEqual(
      readdirSync(mlops).filter((name) => name.includes('.tmp-')),
      [],
      'no half-written image is left',
    );
    const journaled = readdirSync(mlops)
      .filter((name) => /^journal(\.\d+-\d+-\d+)?$/.test(name))
      .flatMap((name) => decodeFrames(readFileSync(path.join(mlops, name))).entries);
    assert.deepEqual(
      journaled.map((entry) => entry.m),
      ['logBatch'],
      'the write after the save is still journaled',
    );
    // Reads still work while the disk is full.
    const history = await store.api.getMetricHistory({ run_id: runId, metric_key: 'loss', max_results: 25_000 });
    assert.equal(history.metrics.length, 4000);

    unlinkSync(FILLER);
    assert.equal((await post('runs/log-batch', { run_id: runId, metrics: points(4000, 1000) })).status, 200);
    acked.push(4);
    await store.flush();
    await server.close();
    await store.close();

    const reopened = await openTrackingStore({ workspaceDir: mountPoint, inProcess: true });
    try {
      const { metrics } = await reopened.api.getMetricHistory({ run_id: runId, metric_key: 'loss', max_results: 25_000 });
      assert.deepEqual(
        metrics.map((m) => m.step).sort((a, b) => a - b),
        acked.flatMap((b) => points(b * 1000, 1000).map((p) => p.step)),
        'every acknowledged point, once; none of the refused ones',
      );
      assert.equal(reopened.recovery.replayedWrites, 0, 'the last save folded everything in');
    } finally {
      await reopened.close();
    }
    assert.equal(await integrityCheck(store.paths.db), 'ok');
  });
});

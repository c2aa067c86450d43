import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { after, describe, it, mock } from 'node:test';
import { ChangeBatcher } from '../../client/src/core/tracking/engine/changeBatcher';
import type { StoreChange } from '../../client/src/core/tracking/engine/contract';
import { TrackingEngine } from '../../client/src/core/tracking/engine/engine';
import { openStore, type OpenStoreOptions } from '../../client/src/core/tracking/engine/host';
import { decodeFrames, encodeArgs, encodeFrame } from '../../client/src/core/tracking/engine/journalFormat';
import { StoreLockedError } from '../../client/src/core/tracking/engine/lock';
import { defaultSavePolicy, SaveScheduler } from '../../client/src/core/tracking/engine/saveScheduler';
import { openTrackingStore } from '../../client/src/core/tracking/store';
import { logCollector, tempWorkspace } from '../helpers/trackingFiles';
import { points, testBinding, testHost, type TestRepository } from '../helpers/trackingTestRepository';

const { dirs, cleanup } = tempWorkspace();
after(cleanup);

/** An engine on the test repository whose background saves never fire on their own. */
function openEngine(workspaceDir: string, log = logCollector()) {
  return TrackingEngine.open<TestRepository>({
    workspaceDir,
    binding: testBinding,
    log: log.log,
    savePolicy: defaultSavePolicy(3_600_000),
  });
}

const call = <T>(engine: TrackingEngine<TestRepository>, method: keyof TestRepository, ...args: unknown[]) =>
  engine.call(method, args) as T;

function journalEntries(workspaceDir: string) {
  const dir = path.join(workspaceDir, '.mlops');
  return readdirSync(dir)
    .filter((name) => name.startsWith('journal'))
    .flatMap((name) => decodeFrames(readFileSync(path.join(dir, name))).entries);
}

describe('tracking engine: journal framing', () => {
  it('round-trips entries and ignores a torn last line', () => {
    const frames = [1, 2, 3].map((s) => encodeFrame(s, 'logBatch', encodeArgs([{ run_id: 'r', n: s }]), [s, 'ab']));
    const whole = Buffer.concat(frames);
    assert.deepEqual(
      decodeFrames(whole).entries.map((e) => [e.s, e.m, e.a, e.r]),
      [1, 2, 3].map((s) => [s, 'logBatch', [{ run_id: 'r', n: s }], [s, 'ab']]),
    );
    const torn = decodeFrames(whole.subarray(0, whole.length - 7));
    assert.deepEqual(
      torn.entries.map((e) => e.s),
      [1, 2],
    );
    assert.equal(torn.badBytes, (frames[2]?.length ?? 0) - 7);
    assert.equal(torn.tornTailOnly, true);
  });

  it('skips a damaged line in the middle, reporting it, and keeps the lines after it', () => {
    const frames = [1, 2, 3].map((s) => encodeFrame(s, 'm', encodeArgs([s]), []));
    const damaged = Buffer.concat(frames);
    const second = (frames[0]?.length ?? 0) + 12;
    damaged[second] = damaged[second] === 0x31 ? 0x32 : 0x31;
    const decoded = decodeFrames(damaged);
    assert.deepEqual(
      decoded.entries.map((e) => e.s),
      [1, 3],
    );
    assert.equal(decoded.tornTailOnly, false);
  });

  it('keeps values JSON cannot carry: NaN, infinities, undefined slots, bigint', () => {
    const args = [{ v: Number.NaN, w: Number.POSITIVE_INFINITY, x: Number.NEGATIVE_INFINITY, big: 12n, list: [1, undefined, null] }];
    const [entry] = decodeFrames(encodeFrame(7, 'm', encodeArgs(args), [])).entries;
    const value = entry?.a[0] as { v: number; w: number; x: number; big: bigint; list: unknown[] };
    assert.ok(Number.isNaN(value.v));
    assert.equal(value.w, Number.POSITIVE_INFINITY);
    assert.equal(value.x, Number.NEGATIVE_INFINITY);
    assert.equal(value.big, 12n);
    assert.deepEqual([value.list.length, value.list[0], value.list[1], value.list[2]], [3, 1, undefined, null]);
  });
});

describe('tracking engine: writes, replay, saves', () => {
  it('replays the journal after a crash with the same ids and timestamps', async () => {
    const dir = dirs();
    const first = await openEngine(dir);
    const { experiment_id } = call<{ experiment_id: string }>(first, 'createExperiment', { name: 'e' });
    const { run } = call<{ run: { info: { run_id: string; start_time: number } } }>(first, 'createRun', { experiment_id });
    const touched = call<{ touched_at: number }>(first, 'touchRun', { run_id: run.info.run_id });
    call(first, 'logBatch', { run_id: run.info.run_id, metrics: points(0, 50) });
    assert.equal(existsSync(path.join(dir, '.mlops/tracking.db')), false, 'nothing saved yet: everything is in the journal');
    // `first` is abandoned without closing, as a killed process would leave it.

    const log = logCollector();
    const second = await openEngine(dir, log);
    assert.equal(second.recovery.replayedWrites, 4);
    assert.deepEqual(call(second, 'getRun', { run_id: run.info.run_id }), {
      run_id: run.info.run_id,
      experiment_id,
      start_time: touched.touched_at,
    });
    assert.equal(call(second, 'countMetrics', { run_id: run.info.run_id }), 50);
    assert.match(log.text(), /replayed 4 journaled writes/);
    assert.equal(existsSync(path.join(dir, '.mlops/tracking.db')), true, 'the replay is saved at open');
    assert.deepEqual(journalEntries(dir), [], 'and the journal emptied');
    await second.close();
  });

  it('rolls back a write that throws, journals nothing, and keeps its error code', async () => {
    const dir = dirs();
    const engine = await openEngine(dir);
    const before = journalEntries(dir).length;
    assert.throws(() => call(engine, 'logBatch', { run_id: 'missing', metrics: points(0, 10) }), { errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    assert.equal(call(engine, 'countMetrics', {}), 0, 'the rows inserted before the throw are rolled back');
    assert.equal(journalEntries(dir).length, before);
    call(engine, 'createExperiment', { name: 'x' });
    assert.throws(() => call(engine, 'createExperiment', { name: 'x' }), { errorCode: 'RESOURCE_ALREADY_EXISTS' });
    assert.deepEqual(
      journalEntries(dir).map((e) => e.m),
      ['createExperiment'],
    );
    assert.throws(() => engine.call('noSuchMethod', []), /no method "noSuchMethod"/);
    await engine.close();
  });

  it('saves while writes continue, and the journal keeps exactly the writes the image lacks', async () => {
    const dir = dirs();
    const engine = await openEngine(dir);
    const { experiment_id } = call<{ experiment_id: string }>(engine, 'createExperiment', { name: 'e' });
    const runId = call<{ run: { info: { run_id: string } } }>(engine, 'createRun', { experiment_id }).run.info.run_id;
    for (let i = 0; i < 20; i++) call(engine, 'logBatch', { run_id: runId, metrics: points(i * 1000, 1000) });
    let saved = false;
    const save = engine.flush().then(() => (saved = true));
    let during = 0;
    while (!saved) {
      call(engine, 'logBatch', { run_id: runId, metrics: points(100_000 + during, 1) });
      during++;
      await tick();
    }
    await save;
    assert.ok(during > 1, `writes went on during the save (${during})`);
    const seqs = journalEntries(dir).map((e) => e.s);
    assert.ok(seqs.length > 0 && seqs.length < during, `the journal holds only what came after the export: ${seqs.length} of ${during}`);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => 22 + during - seqs.length + 1 + i),
      'the newest writes, in order',
    );
    const total = 20_000 + during;
    assert.equal(call(engine, 'countMetrics', {}), total);
    // Crash now: the image plus the journal's tail must give back every write.
    const reopened = await openEngine(dir);
    assert.equal(reopened.recovery.replayedWrites, seqs.length);
    assert.equal(call(reopened, 'countMetrics', {}), total);
    await reopened.close();
  });

  it('replays a journal left by a crash during a save (sealed segment, image not yet renamed)', async () => {
    const dir = dirs();
    const engine = await openEngine(dir);
    const { experiment_id } = call<{ experiment_id: string }>(engine, 'createExperiment', { name: 'e' });
    const runId = call<{ run: { info: { run_id: string } } }>(engine, 'createRun', { experiment_id }).run.info.run_id;
    await engine.flush();
    call(engine, 'logBatch', { run_id: runId, metrics: points(0, 5) });
    // What a crash between the rotation and the rename leaves: a sealed segment, a fresh journal, a temp image.
    const mlops = path.join(dir, '.mlops');
    writeFileSync(path.join(mlops, `journal.3-${Date.now()}-0`), readFileSync(path.join(mlops, 'journal')));
    writeFileSync(path.join(mlops, 'journal'), '');
    writeFileSync(path.join(mlops, 'tracking.db.tmp-12345'), 'half an image');
    const reopened = await openEngine(dir);
    assert.equal(call(reopened, 'countMetrics', {}), 5);
    assert.deepEqual(readdirSync(mlops).sort(), ['journal', 'tracking.db', 'tracking.db.sum']);
    await reopened.close();
  });

  it('ignores a torn last journal line, with a log line, and appends cleanly after it', async () => {
    const dir = dirs();
    const engine = await openEngine(dir);
    const { experiment_id } = call<{ experiment_id: string }>(engine, 'createExperiment', { name: 'e' });
    const runId = call<{ run: { info: { run_id: string } } }>(engine, 'createRun', { experiment_id }).run.info.run_id;
    call(engine, 'logBatch', { run_id: runId, metrics: points(0, 3) });
    appendFileSync(
      path.join(dir, '.mlops/journal'),
      encodeFrame(4, 'logBatch', encodeArgs([{ run_id: runId, metrics: points(3, 3) }]), []).subarray(0, 40),
    );
    const log = logCollector();
    const reopened = await openEngine(dir, log);
    assert.equal(reopened.recovery.replayedWrites, 3);
    assert.ok(reopened.recovery.droppedJournalBytes === 40);
    assert.match(log.text(), /warn: .*torn last line \(40 bytes after its last intact entry\)/);
    assert.equal(reopened.recovery.tornTails[0]?.bytes, 40);
    call(reopened, 'logBatch', { run_id: runId, metrics: points(3, 3) });
    const again = await openEngine(dir);
    assert.equal(call(again, 'countMetrics', {}), 6);
    await again.close();
  });
});

describe('tracking engine: when to save', () => {
  it('saves after a quiet period, but not later than the longest delay while writes keep coming', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      let saves = 0;
      const scheduler = new SaveScheduler({ delayMs: 100, maxDelayMs: 500, maxPendingBytes: 1000 }, () => saves++);
      scheduler.noteWrite(10);
      mock.timers.tick(99);
      assert.equal(saves, 0);
      mock.timers.tick(1);
      assert.equal(saves, 1, 'quiet for the delay: saved');
      for (let t = 0; t < 600; t += 50) {
        scheduler.noteWrite(10);
        mock.timers.tick(50);
      }
      assert.equal(saves, 2, 'a write every 50 ms: saved once the longest delay passed');
      scheduler.noteWrite(1000);
      assert.equal(saves, 3, 'a journal past its size limit: saved at once');
      scheduler.cancel();
    } finally {
      mock.timers.reset();
    }
  });

  it('keeps the journal when a save fails, and a later save succeeds', async () => {
    const dir = dirs();
    const log = logCollector();
    const engine = await openEngine(dir, log);
    call(engine, 'createExperiment', { name: 'e' });
    const blocker = path.join(dir, '.mlops', `tracking.db.tmp-${process.pid}`);
    mkdirSync(blocker); // the temp image cannot be created
    await assert.rejects(engine.flush());
    assert.match(log.text(), /error: Saving the tracking database failed/);
    assert.deepEqual(
      journalEntries(dir).map((e) => e.m),
      ['createExperiment'],
    );
    rmdirSync(blocker);
    call(engine, 'createExperiment', { name: 'f' });
    await engine.flush();
    assert.deepEqual(journalEntries(dir), []);
    const reopened = await openEngine(dir);
    assert.equal(reopened.recovery.replayedWrites, 0);
    assert.throws(() => call(reopened, 'createExperiment', { name: 'e' }), { errorCode: 'RESOURCE_ALREADY_EXISTS' });
    await Promise.all([engine.close(), reopened.close()]);
  });
});

describe('tracking engine: corrupt database', () => {
  for (const [what, damage] of [
    ['garbage', (file: string) => writeFileSync(file, 'this is not a database, it is a text file '.repeat(10))],
    ['a truncated image', (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2))],
    ['an empty file', (file: string) => writeFileSync(file, '')],
  ] as const) {
    it(`moves ${what} aside with an error, starts empty, and replays the journal`, async () => {
      const dir = dirs();
      const engine = await openEngine(dir);
      const { experiment_id } = call<{ experiment_id: string }>(engine, 'createExperiment', { name: 'saved' });
      for (let i = 0; i < 30; i++) call(engine, 'createRun', { experiment_id });
      await engine.flush();
      call(engine, 'createExperiment', { name: 'journaled' });
      const db = path.join(dir, '.mlops/tracking.db');
      damage(db);
      const damaged = readFileSync(db);

      const log = logCollector();
      const reopened = await openEngine(dir, log);
      const aside = reopened.recovery.corruptDatabaseMovedTo ?? '';
      assert.match(aside, /tracking\.db\.corrupt-\d{4}-\d\d-\d\dT/);
      assert.deepEqual(readFileSync(aside), damaged, 'the damaged file is kept as it was');
      assert.match(log.text(), /error: The tracking database .* is corrupt .* moved to /);
      assert.equal(reopened.recovery.replayedWrites, 1, 'the journaled write is replayed into the new database');
      assert.ok(
        readdirSync(path.join(dir, '.mlops')).some((name) => name.startsWith('journal.corrupt-') || /^journal.*\.corrupt-/.test(name)),
        'a copy of the journal is kept beside it',
      );
      assert.throws(() => call(reopened, 'createExperiment', { name: 'journaled' }), { errorCode: 'RESOURCE_ALREADY_EXISTS' });
      call(reopened, 'createExperiment', { name: 'saved' });
      await reopened.close();
    });
  }
});

describe('tracking store: lock', () => {
  const options = (workspaceDir: string, extra: Partial<OpenStoreOptions> = {}): OpenStoreOptions => ({
    workspaceDir,
    inProcess: true,
    ...extra,
  });

  it('refuses a second open while a live process holds the lock, with its pid and server.json', async () => {
    const dir = dirs();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const mlops = path.join(dir, '.mlops');
      await openStore(options(dir), testHost).then((store) => store.close());
      writeFileSync(path.join(mlops, 'lock'), JSON.stringify({ pid: holder.pid, startedAt: 1, hostname: hostname() }));
      writeFileSync(path.join(mlops, 'server.json'), JSON.stringify({ uri: 'http://127.0.0.1:5123', token: 't' }));
      await assert.rejects(openStore(options(dir), testHost), (error: unknown) => {
        assert.ok(error instanceof StoreLockedError);
        assert.equal(error.holder.pid, holder.pid);
        assert.deepEqual(error.server, { uri: 'http://127.0.0.1:5123', token: 't' });
        return true;
      });
    } finally {
      holder.kill();
    }
  });

  it('refuses a second store in the same process, and frees the lock on close', async () => {
    const dir = dirs();
    const store = await openStore(options(dir), testHost);
    await assert.rejects(
      openStore(options(dir), testHost),
      (error: unknown) => error instanceof StoreLockedError && error.holder.pid === process.pid,
    );
    await store.close();
    assert.equal(existsSync(store.paths.lock), false);
    await (await openStore(options(dir), testHost)).close();
  });

  it('takes over a stale lock (its process is gone), saying so', async () => {
    const dir = dirs();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    await openStore(options(dir), testHost).then((store) => store.close());
    writeFileSync(path.join(dir, '.mlops/lock'), JSON.stringify({ pid: deadPid, startedAt: 1, hostname: hostname() }));
    const log = logCollector();
    const store = await openStore(options(dir, { log: log.log }), testHost);
    assert.equal(store.recovery.staleLockTakenOverFrom?.pid, deadPid);
    assert.match(log.text(), new RegExp(`warn: .*stale lock .* of process ${deadPid}`));
    assert.equal(JSON.parse(readFileSync(store.paths.lock, 'utf8')).pid, process.pid);
    await store.close();
  });
  it('takes over a lock file left empty (its creator died before writing it) after a grace period', async () => {
    const dir = dirs();
    await openStore(options(dir), testHost).then((store) => store.close());
    writeFileSync(path.join(dir, '.mlops/lock'), '');
    const log = logCollector();
    const started = Date.now();
    const store = await openStore(options(dir, { log: log.log }), testHost);
    assert.ok(Date.now() - started >= 900, 'it waited for a writer that might still be writing');
    assert.match(log.text(), /warn: .*stale lock .*\(unreadable\)/);
    await store.close();
  });
});

describe('tracking store: worker and events', () => {
  it('merges the changes of one turn of the event loop: runs of the same kind and operation become one event', async () => {
    const delivered: StoreChange[][] = [];
    const batcher = new ChangeBatcher((changes) => delivered.push(changes));
    batcher.add([{ kind: 'run', ids: ['a'], op: 'create' }]);
    for (let i = 0; i < 1000; i++) batcher.add([{ kind: 'metric', ids: [i % 2 ? 'a' : 'b'], op: 'create' }]);
    batcher.add([{ kind: 'run', ids: ['a'], op: 'update' }]);
    assert.deepEqual(delivered, []);
    await tick();
    assert.deepEqual(delivered, [
      [
        { kind: 'run', ids: ['a'], op: 'create' },
        { kind: 'metric', ids: ['b', 'a'], op: 'create' },
        { kind: 'run', ids: ['a'], op: 'update' },
      ],
    ]);
  });

  it('runs the repository in a worker: typed calls, MlflowError codes, change events, data kept on reopen', async () => {
    const dir = dirs();
    const store = await openStore({ workspaceDir: dir }, testHost);
    const events: StoreChange[][] = [];
    const listener = store.onChange((changes) => events.push(changes));
    const { experiment_id } = await store.api.createExperiment({ name: 'e' });
    const { run } = await store.api.createRun({ experiment_id });
    await Promise.all([0, 1, 2, 3].map((i) => store.api.logBatch({ run_id: run.info.run_id, metrics: points(i * 10, 10) })));
    await assert.rejects(store.api.createExperiment({ name: 'e' }), (error: unknown) => {
      assert.equal((error as { errorCode?: string }).errorCode, 'RESOURCE_ALREADY_EXISTS');
      assert.equal((error as Error).name, 'MlflowError');
      return true;
    });
    await store.flush();
    // How many events the four batches make depends on how the messages reach the worker; what they say does not.
    assert.deepEqual(
      [...new Set(events.flat().map((change) => `${change.kind} ${change.op} ${change.ids.join(',')}`))],
      [`experiment create ${experiment_id}`, `run create ${run.info.run_id}`, `metric create ${run.info.run_id}`],
    );
    listener.dispose();
    await store.close();

    const reopened = await openStore({ workspaceDir: dir, inProcess: true }, testHost);
    assert.equal(await reopened.api.countMetrics({ run_id: run.info.run_id }), 40);
    assert.deepEqual(
      await reopened.api.metricValues({ run_id: run.info.run_id }),
      Array.from({ length: 40 }, (_, i) => i),
    );
    await reopened.close();
  });

  it('hosts the real repository: openTrackingStore creates runs and logs metrics', async () => {
    const dir = dirs();
    for (const inProcess of [true, false]) {
      const store = await openTrackingStore({ workspaceDir: dir, inProcess });
      const { experiment_id } = await store.api.createExperiment({ name: `exp-${inProcess}` });
      const { run } = await store.api.createRun({ experiment_id, start_time: 1 });
      await store.api.logBatch({ run_id: run.info.run_id, metrics: [{ key: 'loss', value: 0.5, timestamp: 2, step: 0 }] });
      await assert.rejects(store.api.getRun({ run_id: 'f'.repeat(32) }), { errorCode: 'RESOURCE_DOES_NOT_EXIST', name: 'MlflowError' });
      const history = await store.api.getMetricHistory({ run_id: run.info.run_id, metric_key: 'loss' });
      assert.deepEqual(history.metrics, [{ key: 'loss', value: 0.5, timestamp: 2, step: 0 }]);
      await store.close();
    }
  });
});

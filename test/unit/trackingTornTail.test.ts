import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TrackingEngine } from '../../client/src/core/tracking/engine/engine';
import { defaultSavePolicy } from '../../client/src/core/tracking/engine/saveScheduler';
import { logCollector, tempWorkspace } from '../helpers/trackingFiles';
import { points, testBinding, type TestRepository } from '../helpers/trackingTestRepository';

// A journal whose last line a crash (or the disk) left cut off or damaged: opening replays up to the
// last intact line, moves the rest to `journal.torn-<time>`, says so, and the store goes on from there.
// Every byte offset of the last line is tried, and every byte of its checksum damaged.

const { dirs, cleanup } = tempWorkspace();
after(cleanup);

const open = (workspaceDir: string, log = logCollector()) =>
  TrackingEngine.open<TestRepository>({ workspaceDir, binding: testBinding, log: log.log, savePolicy: defaultSavePolicy(3_600_000) });

const count = (engine: TrackingEngine<TestRepository>) => engine.call('countMetrics', [{}]) as number;

describe('tracking journal: a torn tail', () => {
  /** A store whose image holds a run, and whose journal holds three logBatch lines of 3, 4 and 5 points. */
  let template = '';
  let lastLine = Buffer.alloc(0);
  let journalSize = 0;
  let runId = '';

  before(async () => {
    template = dirs();
    const engine = await open(template);
    const { experiment_id } = engine.call('createExperiment', [{ name: 'e' }]) as { experiment_id: string };
    runId = (engine.call('createRun', [{ experiment_id }]) as { run: { info: { run_id: string } } }).run.info.run_id;
    await engine.flush();
    engine.call('logBatch', [{ run_id: runId, metrics: points(0, 3) }]);
    engine.call('logBatch', [{ run_id: runId, metrics: points(3, 4) }]);
    const before = statSync(path.join(template, '.mlops/journal')).size;
    engine.call('logBatch', [{ run_id: runId, metrics: points(7, 5) }]);
    await engine.whenDurable();
    const journal = readFileSync(path.join(template, '.mlops/journal'));
    journalSize = journal.length;
    lastLine = journal.subarray(before);
    // A copy taken while the engine is open is what a crash leaves: the image and the journal on disk.
    cpSync(path.join(template, '.mlops'), path.join(template, 'crashed'), { recursive: true });
    await engine.close();
  });

  /** A fresh copy of the crashed store, with `damage` done to its journal. */
  function crashedCopy(damage: (journal: string) => void): string {
    const dir = dirs();
    cpSync(path.join(template, 'crashed'), path.join(dir, '.mlops'), { recursive: true });
    damage(path.join(dir, '.mlops/journal'));
    return dir;
  }

  async function assertRecovered(dir: string, expectedTail: Buffer, label: string): Promise<void> {
    const log = logCollector();
    const engine = await open(dir, log);
    try {
      assert.equal(count(engine), 7, `${label}: the two intact lines are replayed, the torn one is not`);
      assert.equal(engine.recovery.replayedWrites, 2, label);
      const tails = engine.recovery.tornTails;
      assert.equal(tails.length, expectedTail.length > 0 ? 1 : 0, label);
      if (expectedTail.length > 0) {
        const tail = tails[0];
        assert.ok(tail, label);
        assert.equal(tail.bytes, expectedTail.length, label);
        assert.match(path.basename(tail.movedTo), /^journal\.torn-/, label);
        assert.deepEqual(readFileSync(tail.movedTo), expectedTail, `${label}: the torn bytes are kept aside, unchanged`);
        assert.match(log.text(), new RegExp(`warn: .*torn last line \\(${expectedTail.length} bytes .*moved those bytes to`), label);
      }
      assert.doesNotMatch(log.text(), /^error:/m, `${label}: a torn tail is not damage`);
      // The store goes on: a write after the cut lands on a clean line and survives the next open.
      engine.call('logBatch', [{ run_id: runId, metrics: points(100, 2) }]);
      await engine.whenDurable();
      const copy = dirs();
      cpSync(path.join(dir, '.mlops'), path.join(copy, '.mlops'), { recursive: true });
      const again = await open(copy);
      assert.equal(count(again), 9, label);
      assert.deepEqual(again.recovery.tornTails, [], `${label}: nothing torn the second time`);
      await again.close();
    } finally {
      await engine.close();
    }
  }

  it('cut at every byte offset of the last line: replays up to the line before it and moves the cut bytes aside', async () => {
    assert.ok(lastLine.length > 100, 'a line long enough to tear in many places');
    for (let cut = 0; cut < lastLine.length; cut++) {
      const dir = crashedCopy((journal) => truncateSync(journal, journalSize - lastLine.length + cut));
      await assertRecovered(dir, lastLine.subarray(0, cut), `cut at byte ${cut} of ${lastLine.length}`);
    }
  });

  it('a last line with a damaged checksum (each of its 8 hex digits) or body: the whole line is moved aside', async () => {
    const damages = [...Array.from({ length: 8 }, (_, i) => i), 20, lastLine.length - 2];
    for (const at of damages) {
      const damaged = Buffer.from(lastLine);
      damaged[at] = damaged[at] === 0x30 ? 0x31 : 0x30;
      const dir = crashedCopy((journal) => {
        const data = readFileSync(journal);
        damaged.copy(data, journalSize - lastLine.length);
        writeFileSync(journal, data);
      });
      await assertRecovered(dir, damaged, `byte ${at} damaged`);
    }
  });

  it('a complete last line is not torn', async () => {
    const dir = crashedCopy(() => undefined);
    const engine = await open(dir);
    assert.equal(count(engine), 12);
    assert.deepEqual(engine.recovery.tornTails, []);
    assert.deepEqual(
      readdirSync(path.join(dir, '.mlops')).filter((name) => name.includes('torn')),
      [],
    );
    await engine.close();
  });
});

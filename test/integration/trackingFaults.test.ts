import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { openTrackingStore } from '../../client/src/core/tracking/store';
import { FAULT_POINTS } from '../helpers/trackingFaultChild';
import { logCollector, tempWorkspace } from '../helpers/trackingFiles';

const CHILD = path.join(__dirname, '../helpers/trackingFaultChild.ts');
const { dirs, cleanup } = tempWorkspace();
after(cleanup);

interface Killed {
  runId: string;
  lastAcked: number;
  finished: boolean;
}

/**
 * Runs the logging child and SIGKILLs it when `shouldKill` says so (checked on every line it prints
 * and on every turn of the event loop), returning what it had acknowledged by then.
 */
function logAndKill(workspaceDir: string, saveDelayMs: number, shouldKill: (lastAcked: number) => boolean): Promise<Killed> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, workspaceDir, String(saveDelayMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const state: Killed = { runId: '', lastAcked: -1, finished: false };
  let buffered = '';
  let killed = false;
  const check = () => {
    if (!killed && state.runId && shouldKill(state.lastAcked)) {
      killed = true;
      child.kill('SIGKILL');
    }
  };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    buffered += text;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [word, value = ''] = line.split(' ');
      if (word === 'run') state.runId = value;
      if (word === 'ack') state.lastAcked = Number(value);
      if (word === 'done') state.finished = true;
    }
    check();
  });
  const poll = setInterval(check, 0);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(poll);
      resolve(state);
    });
  });
}

async function countPoints(workspaceDir: string, runId: string): Promise<{ steps: number[]; log: string }> {
  const log = logCollector();
  const store = await openTrackingStore({ workspaceDir, inProcess: true, log: log.log });
  try {
    const { metrics } = await store.api.getMetricHistory({ run_id: runId, metric_key: 'x' });
    return { steps: metrics.map((m) => m.step), log: log.text() };
  } finally {
    await store.close();
  }
}

function assertNoAckedPointLost(steps: number[], lastAcked: number): void {
  assert.ok(steps.length >= lastAcked + 1, `${steps.length} points survived, ${lastAcked + 1} were acknowledged`);
  assert.deepEqual(
    steps.findIndex((step, i) => step !== i),
    -1,
    'the survivors are the first points, in order, without gaps',
  );
}

describe('tracking store faults: kill -9 (real repository, worker, 100,000 points)', () => {
  it('loses no acknowledged point when killed in the middle of logging', async () => {
    const dir = dirs();
    const killed = await logAndKill(dir, 1000, (acked) => acked >= FAULT_POINTS * 0.4);
    assert.equal(killed.finished, false, 'killed before the end');
    assert.ok(killed.lastAcked >= FAULT_POINTS * 0.4);
    const { steps, log } = await countPoints(dir, killed.runId);
    assertNoAckedPointLost(steps, killed.lastAcked);
    assert.match(log, /taking over the stale lock/);
  });

  it('loses no acknowledged point when killed while the image is being saved', async () => {
    const dir = dirs();
    const mlops = path.join(dir, '.mlops');
    let sawTemp = false;
    // Saves back to back (1 ms quiet time); kill the moment a temp image exists: mid-save.
    const killed = await logAndKill(dir, 1, (acked) => {
      if (acked < 10_000) return false;
      sawTemp ||= existsSync(mlops) && readdirSync(mlops).some((name: string) => name.startsWith('tracking.db.tmp-'));
      return sawTemp;
    });
    assert.equal(sawTemp, true, 'the kill landed during a save');
    assert.equal(killed.finished, false);
    const { steps } = await countPoints(dir, killed.runId);
    assertNoAckedPointLost(steps, killed.lastAcked);
    assert.equal(
      existsSync(mlops) && readdirSync(mlops).some((name: string) => name.includes('.tmp-')),
      false,
      'the half-written image is cleaned up',
    );
  });
});

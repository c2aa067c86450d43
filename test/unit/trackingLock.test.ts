import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from '../../client/src/core/tracking/engine/host';
import { processStartOf, StoreLockedError } from '../../client/src/core/tracking/engine/lock';
import { logCollector, tempWorkspace } from '../helpers/trackingFiles';
import { testHost } from '../helpers/trackingTestRepository';

// The lock after a crash: a pid can be reused by an unrelated process, which would make a stale lock
// look live. The lock records who holds it precisely (start time on Linux, a heartbeat elsewhere), and
// is broken only when that holder is gone.

const { dirs, cleanup } = tempWorkspace();
after(cleanup);

const linux = existsSync('/proc/self/stat');

/** A live process that is not the lock's holder: it stands for an unrelated process that got the holder's pid. */
async function liveProcess(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  assert.ok(child.pid);
  return child as ChildProcess & { pid: number };
}

async function storeDir(): Promise<string> {
  const dir = dirs();
  await openStore({ workspaceDir: dir, inProcess: true }, testHost).then((store) => store.close());
  return dir;
}

const writeLock = (dir: string, holder: Record<string, unknown>) =>
  writeFileSync(path.join(dir, '.mlops/lock'), JSON.stringify({ startedAt: 1, hostname: hostname(), ...holder }));

describe('tracking store: the lock records its holder', () => {
  it('records the pid, and on Linux the process start time from /proc/<pid>/stat', async () => {
    const dir = dirs();
    const store = await openStore({ workspaceDir: dir, inProcess: true }, testHost);
    try {
      const held = JSON.parse(readFileSync(store.paths.lock, 'utf8')) as Record<string, unknown>;
      assert.equal(held['pid'], process.pid);
      if (linux) {
        assert.match(String(held['processStart']), /^\d+$/);
        assert.equal(held['processStart'], processStartOf(process.pid));
      } else assert.match(String(held['nonce']), /^[0-9a-f]{16}$/);
    } finally {
      await store.close();
    }
  });

  it(
    'takes over a lock naming a live pid with another start time (the pid was reused), and refuses one with the right start time',
    {
      skip: linux ? false : 'no /proc here: the start time is a Linux check (the heartbeat test covers other systems)',
    },
    async () => {
      const other = await liveProcess();
      try {
        const start = processStartOf(other.pid);
        assert.match(String(start), /^\d+$/);

        const reused = await storeDir();
        writeLock(reused, { pid: other.pid, processStart: String(Number(start) - 1) });
        const log = logCollector();
        const store = await openStore({ workspaceDir: reused, inProcess: true, log: log.log }, testHost);
        assert.equal(store.recovery.staleLockTakenOverFrom?.pid, other.pid);
        assert.match(log.text(), new RegExp(`warn: .*stale lock .* of process ${other.pid}, whose pid now belongs to another process`));
        await store.close();

        const live = await storeDir();
        writeLock(live, { pid: other.pid, processStart: start });
        await assert.rejects(openStore({ workspaceDir: live, inProcess: true }, testHost), (error: unknown) => {
          assert.ok(error instanceof StoreLockedError);
          assert.equal(error.holder.pid, other.pid);
          return true;
        });
        assert.equal(other.exitCode, null, 'the live process was left alone');
      } finally {
        other.kill();
      }
    },
  );

  it('without a start time (other systems): a live pid whose heartbeat stopped is taken over, a fresh one refuses', async () => {
    const other = await liveProcess();
    try {
      const stopped = await storeDir();
      writeLock(stopped, { pid: other.pid, nonce: '0123456789abcdef' });
      const old = new Date(Date.now() - 5 * 60_000);
      utimesSync(path.join(stopped, '.mlops/lock'), old, old);
      const log = logCollector();
      const store = await openStore({ workspaceDir: stopped, inProcess: true, log: log.log }, testHost);
      assert.equal(store.recovery.staleLockTakenOverFrom?.pid, other.pid);
      assert.match(log.text(), /whose heartbeat stopped \d+ s ago/);
      await store.close();

      const beating = await storeDir();
      writeLock(beating, { pid: other.pid, nonce: '0123456789abcdef' });
      await assert.rejects(openStore({ workspaceDir: beating, inProcess: true }, testHost), StoreLockedError);
    } finally {
      other.kill();
    }
  });
});

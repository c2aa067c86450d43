import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { StoreChange } from '../../client/src/core/tracking/repository';
import { serveWorkspace } from '../../client/src/core/tracking/workspaceServer';
import { CLI_JS, startServe } from '../helpers/cli';
import { restPost } from '../helpers/trackingDurability';

// Every writer's changes reach whoever follows the store: a process that joined the owner (as a
// second window does) through its change stream, and `mlops runs list --watch`, both with the
// real bin (`npm run build` first).

const workspaces: string[] = [];
const children: ChildProcess[] = [];
const newWorkspace = () => {
  const ws = mkdtempSync(path.join(tmpdir(), 'mlops-changes-'));
  workspaces.push(ws);
  return ws;
};

const until = async (what: string, ok: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function call(url: string, token: string, route: string, body: unknown): Promise<Record<string, unknown>> {
  const { status, json } = await restPost(url, token, route, body);
  assert.equal(status, 200, JSON.stringify(json));
  return json;
}

async function createRun(url: string, token: string, name: string): Promise<string> {
  const { run } = (await call(url, token, 'runs/create', { experiment_id: '0', run_name: name, start_time: Date.now() })) as {
    run: { info: { run_id: string } };
  };
  return run.info.run_id;
}

/** `mlops runs list --watch` as a real process, its output so far, and its exit. */
function watch(ws: string, extra: string[] = []) {
  const env = { ...process.env };
  delete env.MLFLOW_TRACKING_URI;
  const child = spawn(process.execPath, [CLI_JS, 'runs', 'list', '--watch', '--workspace', ws, ...extra], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out, exited };
}

describe('change stream: joined processes and mlops runs list --watch', () => {
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  after(() => {
    for (const ws of workspaces) rmSync(ws, { recursive: true, force: true });
  });

  it("a process that joined the store's owner gets the change events of every writer", { timeout: 60_000 }, async () => {
    const ws = newWorkspace();
    const serve = await startServe(ws);
    children.push(serve.process);
    // `follow`: connected before it is handed out, so a write made right after is never missed.
    const peer = await serveWorkspace({ workspaceDir: ws, joinPeer: true, follow: true });
    try {
      assert.equal(peer.role, 'peer');
      const seen: StoreChange[] = [];
      const subscription = peer.onChange((batch) => seen.push(...batch));
      // A write by another client of the owner (here: plain HTTP, as mlflow code would).
      const runId = await createRun(serve.url, serve.token, 'from-elsewhere');
      await until('the run create event', () => seen.some((c) => c.kind === 'run' && c.op === 'create' && c.ids.includes(runId)));
      // And the peer's own writes come back the same way.
      await peer.api.logMetric({ run_id: runId, key: 'loss', value: 0.5, timestamp: Date.now(), step: 1 });
      await until('the metric event', () => seen.some((c) => c.kind === 'metric' && c.ids.includes(runId)));
      subscription.dispose();
    } finally {
      await peer.close();
    }
  });

  it('follows the endpoint of the process holding the store, and Ctrl+C exits 0', { timeout: 60_000 }, async () => {
    const ws = newWorkspace();
    const serve = await startServe(ws);
    children.push(serve.process);
    const first = await createRun(serve.url, serve.token, 'before-watch');
    const { child, out, exited } = watch(ws);
    await until('the first list', () => out.stderr.includes('watching for changes'));
    assert.match(out.stdout, new RegExp(`^RUN ID .*\\n${first} +before-watch `, 'm'));
    const second = await createRun(serve.url, serve.token, 'during-watch');
    await until('the new row', () => new RegExp(`^\\+ +${second} +during-watch .*RUNNING`, 'm').test(out.stdout));
    await call(serve.url, serve.token, 'runs/update', { run_id: second, status: 'FINISHED', end_time: Date.now() });
    await until('the changed row', () => new RegExp(`^~ +${second} +during-watch .*FINISHED`, 'm').test(out.stdout));
    assert.doesNotMatch(out.stdout, new RegExp(`^[+~] +${first}`, 'm'), 'an unchanged run is not printed again');
    child.kill('SIGINT');
    assert.equal(await exited, 0, out.stderr);
  });

  it(
    'serves a free store while watching it, so other writers get through; --json prints a line per event',
    { timeout: 60_000 },
    async () => {
      const ws = newWorkspace();
      const { child, out, exited } = watch(ws, ['--json']);
      await until('the first list', () => out.stderr.includes('watching for changes'));
      assert.match(out.stderr, /serving the workspace store at http:\/\/127\.0\.0\.1:\d+/);
      const info = JSON.parse(readFileSync(path.join(ws, '.mlops/server.json'), 'utf8')) as { url: string; token: string; pid: number };
      assert.equal(info.pid, child.pid);
      const runId = await createRun(info.url, info.token, 'through-the-watcher');
      await until('the created event', () => out.stdout.split('\n').length >= 3);
      const lines = out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; runs?: unknown[]; run?: { info: { run_id: string } } });
      assert.deepEqual(lines[0], { event: 'list', runs: [] });
      assert.equal(lines[1]!.event, 'created');
      assert.equal(lines[1]!.run!.info.run_id, runId);
      child.kill('SIGINT');
      assert.equal(await exited, 0, out.stderr);
      assert.equal(existsSync(path.join(ws, '.mlops/server.json')), false, 'server.json is removed on exit');
    },
  );
});

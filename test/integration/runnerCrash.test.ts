import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunEvent } from '../../client/src/core/runner';
import { CLI_JS, mlops } from '../helpers/cli';
import { isAlive } from '../helpers/processes';

// Issue 20, "Faults at random", the runner: `mlops run` SIGKILLed mid-step. Needs `npm run build`.

const ws = mkdtempSync(path.join(tmpdir(), 'mlops-runner-crash-'));
const leftovers: number[] = [];
after(() => {
  for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(ws, { recursive: true, force: true });
});

const PIPELINE = `pipeline: crash
steps:
  produce:
    run: sh produce.sh \${{ outputs.result }}
    inputs: [data/in.txt]
    outputs:
      result: out/result.txt
`;

// In slow mode the step writes half of its output, starts a long child and waits on it: the runner
// is killed there. The script is not an input, so both modes share one cache key.
const SCRIPT = `echo ran >> ran.log
if [ -f slow ]; then
  printf 'half' > "$1"
  sleep 300 &
  echo "$$ $!" > pids.txt
  wait
fi
printf 'the whole output\\n' > "$1"
`;

function events(stdout: string): RunEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
}

const runIdOf = (list: RunEvent[]) => (list.find((e) => e.type === 'run-started') as { runId: string } | undefined)?.runId;

/** Running: it exists and is not a zombie (a dead process its new parent has not reaped yet). */
function running(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function describePid(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').trim();
  } catch {
    return `${pid}: gone`;
  }
}

async function waitFor(what: string, check: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe('mlops run SIGKILLed mid-step', () => {
  it('leaves no step process behind, and the next run fails the old run and runs the step again', async () => {
    mkdirSync(path.join(ws, 'data'));
    writeFileSync(path.join(ws, 'data/in.txt'), 'input\n');
    writeFileSync(path.join(ws, 'produce.sh'), SCRIPT);
    writeFileSync(path.join(ws, 'crash.pipeline.yaml'), PIPELINE);

    // 1. A clean run: the step succeeds and is recorded for the cache.
    const first = mlops(['run', 'crash.pipeline.yaml', '--json'], ws);
    assert.equal(first.code, 0, first.stderr + first.stdout);

    // 2. Again without the cache, slow: killed with the output half written and a child running.
    writeFileSync(path.join(ws, 'slow'), '');
    const runner = spawn(process.execPath, [CLI_JS, 'run', 'crash.pipeline.yaml', '--json', '--no-cache'], {
      cwd: ws,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    runner.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const pidsFile = path.join(ws, 'pids.txt');
    await waitFor(
      'the step to start its child',
      () => existsSync(pidsFile) && readFileSync(pidsFile, 'utf8').trim().split(' ').length === 2,
      30_000,
    );
    const [shell, child] = readFileSync(pidsFile, 'utf8').trim().split(' ').map(Number) as [number, number];
    // Mid-step, not mid-spawn: the runner announces the group to its watchdog right after spawning
    // the shell, which a loaded machine may delay past the step's first lines.
    await new Promise((resolve) => setTimeout(resolve, 300));
    leftovers.push(shell, child);
    assert.ok(running(shell) && running(child), 'the step and its child run');
    assert.equal(readFileSync(path.join(ws, 'out/result.txt'), 'utf8'), 'half');
    const exited = new Promise((resolve) => runner.once('exit', resolve));
    runner.kill('SIGKILL');
    await exited;
    const killedRun = runIdOf(events(out));
    assert.ok(killedRun, out);
    // The watchdog sends SIGTERM at once; `sleep` and `sh` die of it.
    const goneMs = await waitFor('the step processes to be gone', () => !running(shell) && !running(child), 10_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}: ${describePid(shell)} | ${describePid(child)}`);
      },
    );
    console.log(`  step processes gone ${goneMs} ms after the runner was killed`);

    // 3. Fast again, with the cache: the half-written output must not pass for the first run's.
    unlinkSync(path.join(ws, 'slow'));
    const third = mlops(['run', 'crash.pipeline.yaml'], ws);
    assert.equal(third.code, 0, third.stderr + third.stdout);
    assert.match(third.stderr, /marked 1 run left RUNNING by a stopped runner as FAILED/);
    assert.match(third.stderr, /warning \(produce\): not cached: its outputs changed since run/, 'the cache saw the half-written output');
    assert.match(third.stdout, /✓ produce succeeded in/);
    assert.doesNotMatch(third.stdout, /= produce cached/);
    assert.equal(readFileSync(path.join(ws, 'out/result.txt'), 'utf8'), 'the whole output\n');
    assert.equal(readFileSync(path.join(ws, 'ran.log'), 'utf8'), 'ran\nran\nran\n');

    const shown = mlops(['runs', 'show', killedRun, '--json'], ws);
    assert.equal(shown.code, 0, shown.stderr);
    const run = JSON.parse(shown.stdout) as {
      info: { status: string };
      steps?: { step_id: string; status: string; message?: string; cache_key?: string }[];
    };
    assert.equal(run.info.status, 'FAILED');
    const step = run.steps?.find((s) => s.step_id === 'produce');
    assert.equal(step?.status, 'FAILED', JSON.stringify(run.steps));
    assert.match(step?.message ?? '', /the runner \(pid \d+\) stopped before the step ended/);
    assert.equal(step?.cache_key, undefined, 'the killed execution is never a cache entry');
  });
});

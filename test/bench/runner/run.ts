// The runner benchmark (issue 6, "Speed"; issue 20, "The runner at 1,000 steps"): prints every figure, asserts nothing.
// Usage: npm run build && npx tsx test/bench/runner/run.ts [sizes, default 200,1000]
//
// Engine overhead per step = (wall time of the pipeline run - wall time of spawning the same
// commands through /bin/sh with the same parallelism and no engine) / steps. Both sides spawn real
// processes; the difference is scheduling, expression substitution, step records in the tracking
// store (through its worker thread, as the editor and the CLI use it), log files and metrics tails.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { runPipeline } from '../../../client/src/core/runner';
import { openTrackingStore, type TrackingStore } from '../../../client/src/core/tracking/store';

/** Pipeline sizes (steps) measured as a chain and as a fan-out; `npx tsx test/bench/runner/run.ts 200,1000,2000` overrides. */
const SIZES = (process.argv[2] ?? '200,1000').split(',').map(Number);

function chainYaml(n: number): string {
  const steps = Array.from({ length: n }, (_, i) => `  s${i}:\n    run: "true"\n${i > 0 ? `    needs: [s${i - 1}]\n` : ''}`);
  return `pipeline: chain\nsteps:\n${steps.join('')}`;
}

function fanYaml(n: number, command: string): string {
  const steps = Array.from({ length: n }, (_, i) => `  s${i}:\n    run: ${command}\n`);
  return `pipeline: fan\nsteps:\n${steps.join('')}`;
}

/** Spawns `command` `n` times through /bin/sh, at most `parallel` at once: the floor the engine is measured against. */
let lastFloorCpuMs = 0;
async function spawnOnly(n: number, parallel: number, command: string): Promise<number> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await new Promise<void>((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.resume();
        child.stderr.resume();
        child.once('error', reject);
        child.once('close', () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const used = process.cpuUsage(cpu);
  lastFloorCpuMs = (used.user + used.system) / 1000;
  return performance.now() - started;
}

/** CPU time this process spent (all its threads: the engine and the store's worker), in ms. */
let lastCpuMs = 0;

/** Memory of this process (RSS: the engine, the store's worker and sql.js; heap: the engine's isolate), in MB. */
interface MemorySamples {
  rss: number[];
  heap: number[];
}
let lastMemory: MemorySamples = { rss: [], heap: [] };
const mb = (bytes: number) => bytes / 1024 / 1024;

function sampleMemory(): { stop(): MemorySamples } {
  const samples: MemorySamples = { rss: [], heap: [] };
  const take = () => {
    const m = process.memoryUsage();
    samples.rss.push(mb(m.rss));
    samples.heap.push(mb(m.heapUsed));
  };
  take();
  const timer = setInterval(take, 25);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
async function timedRun(store: TrackingStore, dir: string, name: string, yaml: string, maxParallel: number): Promise<number> {
  const file = path.join(dir, `${name}.pipeline.yaml`);
  writeFileSync(file, yaml);
  const cpu = process.cpuUsage();
  const memory = sampleMemory();
  const started = performance.now();
  const result = await runPipeline({
    pipelineFile: file,
    workspaceDir: dir,
    maxParallel,
    tracking: { api: store.api, url: 'http://127.0.0.1:9/', token: 'bench' },
  });
  const ms = performance.now() - started;
  lastMemory = memory.stop();
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  if (result.status !== 'FINISHED') throw new Error(`${name} ended ${result.status}`);
  return ms;
}

const line = (label: string, value: string) => console.log(`  ${label.padEnd(52)} ${value}`);
const ms = (v: number) => `${v.toFixed(0)} ms`;

async function main(): Promise<void> {
  const parallel = availableParallelism();
  console.log(
    `runner benchmark (Node ${process.version}); machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-runner-'));
  const store = await openTrackingStore({ workspaceDir: dir });
  try {
    // Warm up: first spawns and the first run pay for page cache and JIT.
    await spawnOnly(20, 1, 'true');
    await timedRun(store, dir, 'warm', chainYaml(10), 1);

    for (const steps of SIZES) {
      for (const shape of ['chain', 'fan-out'] as const) {
        const yaml = shape === 'chain' ? chainYaml(steps) : fanYaml(steps, '"true"');
        const width = shape === 'chain' ? 1 : parallel;
        const engineMs: number[] = [];
        const floorMs: number[] = [];
        const cpuMs: number[] = [];
        const floorCpuMs: number[] = [];
        const memory: MemorySamples[] = [];
        const rounds = steps > 500 ? 2 : 3;
        for (let i = 0; i < rounds; i++) {
          floorMs.push(await spawnOnly(steps, width, 'true'));
          floorCpuMs.push(lastFloorCpuMs);
          engineMs.push(await timedRun(store, dir, `${shape}${steps}-${i}`, yaml, width));
          cpuMs.push(lastCpuMs);
          memory.push(lastMemory);
        }
        const best = (xs: number[]) => Math.min(...xs);
        const overhead = (best(engineMs) - best(floorMs)) / steps;
        console.log(`\n${steps} no-op steps as a ${shape} (parallelism ${width}; best of ${rounds})`);
        line('pipeline run, wall time', `${ms(best(engineMs))} (runs: ${engineMs.map(ms).join(', ')})`);
        line('spawning the same commands, no engine', `${ms(best(floorMs))} (runs: ${floorMs.map(ms).join(', ')})`);
        line('engine overhead per step (goal <= 10 ms)', `${overhead.toFixed(2)} ms`);
        // Wall-clock differences swing with the machine's load; CPU time of this process does not.
        line('CPU of the runner process per step (incl. spawning)', `${(best(cpuMs) / steps).toFixed(2)} ms`);
        // The same difference in CPU time: what the engine costs, whatever the machine's load does to wall time.
        line('engine CPU per step (runner CPU - spawning CPU)', `${((best(cpuMs) - best(floorCpuMs)) / steps).toFixed(2)} ms`);
        // Flat memory: the last run's peak is near its start, and a 5x larger pipeline does not grow it 5x.
        const last = memory[memory.length - 1]!;
        const figures = (xs: number[]) =>
          `start ${xs[0]!.toFixed(0)}, peak ${Math.max(...xs).toFixed(0)}, end ${xs[xs.length - 1]!.toFixed(0)} MB`;
        line(`RSS during the last run (${last.rss.length} samples)`, figures(last.rss));
        line('JS heap used during the last run', figures(last.heap));
      }
    }

    console.log('\n16 independent `sleep 1` steps, parallelism 4 (goal <= 4.5 s)');
    const sleeps: number[] = [];
    for (let i = 0; i < 2; i++) sleeps.push(await timedRun(store, dir, `sleep${i}`, fanYaml(16, 'sleep 1'), 4));
    line('wall time', sleeps.map((v) => `${(v / 1000).toFixed(2)} s`).join(', '));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import * as path from 'node:path';
import { openTrackingStore, type OpenReport } from '../../client/src/core/tracking/store';
import { integrityCheck, restPost, type RestAnswer } from './trackingDurability';

// The chaos test of the tracking store (issue 20, "Faults at random"), shared by
// test/integration/trackingChaos.test.ts (a few iterations) and test/bench/tracking/chaos.ts (200).
// Each iteration starts a writer (trackingChaosChild.ts: the store in its worker behind the REST
// endpoint), lets several REST clients log points, params, tags and registry changes at once, recording
// what was acknowledged, SIGKILLs the writer at a random moment or at a chosen point of the engine
// (mid-append, before a group's fdatasync, mid-seal of the journal, with a temp image written, after its
// rename), reopens the store and checks every acknowledged item is there exactly once and that SQLite's
// integrity_check is ok. A workspace lives for a few iterations, so recoveries pile up.

const CHILD = path.join(__dirname, 'trackingChaosChild.ts');
const CLIENTS = 3;
const ITERATIONS_PER_WORKSPACE = 4;
const SAVE_DELAY_MS = 15;
/** If a chosen point is not reached by then (a short iteration), the kill comes anyway. */
const PAUSE_DEADLINE_MS = 4000;
const MODEL = 'chaos-model';

/** Where a kill is aimed: anywhere (a random delay), or where the engine pauses (engine/faultPoints.ts). */
const TARGETS = ['random', 'append', 'sync', 'seal', 'image', 'rename'] as const;
type Target = (typeof TARGETS)[number];

/** mulberry32: a small seeded generator, so a failing seed reproduces. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed: MLOPS_CHAOS_SEED (a number, or `random` for a new one), else a fixed one. */
export function chaosSeed(env: NodeJS.ProcessEnv = process.env): number {
  const asked = env['MLOPS_CHAOS_SEED']?.trim();
  if (asked === 'random') return Math.floor(Math.random() * 2 ** 31);
  if (asked && /^\d+$/.test(asked)) return Number(asked);
  return 20_2026;
}

/** What the clients saw acknowledged, for one workspace across its iterations. */
interface Ledger {
  runs: Map<string, { points: Map<string, Set<number>>; params: Map<string, string>; tags: Map<string, string> }>;
  /** model version number -> its source; alias -> version. */
  versions: Map<string, string>;
  aliases: Map<string, string>;
  /** An alias request the kill cut off: it may or may not have been applied. */
  aliasesInFlight: Map<string, string>;
  modelCreated: boolean;
  /** Counters that keep every item unique across iterations (a step, a param key, a source is never reused). */
  next: number;
}

const newLedger = (): Ledger => ({
  runs: new Map(),
  versions: new Map(),
  aliases: new Map(),
  aliasesInFlight: new Map(),
  modelCreated: false,
  next: 0,
});

export interface IterationReport {
  iteration: number;
  target: Target;
  /** Whether the kill landed where it was aimed (a random kill always does). */
  landed: boolean;
  ackedPoints: number;
  ackedOther: number;
  recovery: OpenReport;
  ms: number;
}

export interface ChaosSummary {
  seed: number;
  iterations: IterationReport[];
  ackedPoints: number;
  ackedOther: number;
}

interface Writer {
  url: string;
  token: string;
  /** Resolves when the writer paused at its chosen point (never, for a random kill). */
  paused: Promise<void>;
  exited: Promise<void>;
  kill(): void;
  stderr(): string;
}

/** A writer process that has loaded node and the modules and waits for its workspace on stdin (trackingChaosChild.ts). */
interface Standby {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  exited: Promise<void>;
}

function spawnStandby(): Standby {
  const env = { ...process.env };
  delete env['MLOPS_TRACKING_PAUSE_AT'];
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
}

/** Hands a standby its workspace and pause point; resolves once it serves (or paused while opening). */
function startWriter({ child, exited }: Standby, workspaceDir: string, pauseAt: string | undefined): Promise<Writer> {
  let out = '';
  let err = '';
  let onPause: () => void = () => undefined;
  const paused = new Promise<void>((resolve) => (onPause = resolve));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    err += text;
    if (err.includes('mlops-paused ')) onPause();
  });
  child.stdin.on('error', () => undefined); // a standby that died: `exited` below says so
  child.stdin.end(`${workspaceDir}\t${SAVE_DELAY_MS}\t${pauseAt ?? '-'}\n`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`the chaos writer did not start in 60 s: ${out}${err}`));
    }, 60_000);
    const started = (url: string, token: string) => {
      clearTimeout(timer);
      resolve({ url, token, paused, exited, kill, stderr: () => err });
    };
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const ready = /ready (\S+) (\S+)\n/.exec(out);
      if (ready?.[1] && ready[2]) started(ready[1], ready[2]);
    });
    // Paused while opening (a save folding in the last crash's journal): killed before it serves.
    void paused.then(() => started('', ''));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the chaos writer exited before it served: ${out}${err}`));
    });
  });
}

/** One client: random writes until the writer dies, recording each acknowledged one in the ledger. */
async function client(id: number, writer: Writer, ledger: Ledger, random: () => number): Promise<void> {
  const post = async (route: string, body: unknown): Promise<RestAnswer | undefined> => {
    let answer: RestAnswer;
    try {
      answer = await restPost(writer.url, writer.token, route, body);
    } catch {
      return undefined; // the connection died with the writer: not acknowledged
    }
    assert.equal(answer.status, 200, `${route} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
    return answer;
  };
  const created = await post('runs/create', { experiment_id: '0', start_time: Date.now(), run_name: `chaos-${id}` });
  if (!created) return;
  const runId = (created.json['run'] as { info: { run_id: string } }).info.run_id;
  const run = { points: new Map<string, Set<number>>(), params: new Map<string, string>(), tags: new Map<string, string>() };
  ledger.runs.set(runId, run);
  for (;;) {
    const pick = random();
    if (pick < 0.6) {
      const key = `m${Math.floor(random() * 3)}`;
      const count = 1 + Math.floor(random() * 400);
      const first = ledger.next;
      ledger.next += count;
      const metrics = Array.from({ length: count }, (_, i) => ({
        key,
        value: (first + i) / 7,
        timestamp: 1_700_000_000_000 + first + i,
        step: first + i,
      }));
      const params = random() < 0.3 ? [{ key: `p${ledger.next++}`, value: `v${id}` }] : [];
      const tags = random() < 0.3 ? [{ key: `t${ledger.next++}`, value: `w${id}` }] : [];
      if (!(await post('runs/log-batch', { run_id: runId, metrics, params, tags }))) return;
      const steps = run.points.get(key) ?? new Set<number>();
      run.points.set(key, steps);
      for (const m of metrics) steps.add(m.step);
      for (const p of params) run.params.set(p.key, p.value);
      for (const t of tags) run.tags.set(t.key, t.value);
    } else if (pick < 0.75) {
      const key = `t${ledger.next++}`;
      if (!(await post('runs/set-tag', { run_id: runId, key, value: `tag of ${id}` }))) return;
      run.tags.set(key, `tag of ${id}`);
    } else if (pick < 0.9 || ledger.versions.size === 0) {
      const source = `file:///models/${ledger.next++}`;
      const answer = await post('model-versions/create', { name: MODEL, source, run_id: runId });
      if (!answer) return;
      ledger.versions.set(String((answer.json['model_version'] as { version: string }).version), source);
    } else {
      const versions = [...ledger.versions.keys()];
      const version = versions[Math.floor(random() * versions.length)] ?? '1';
      const alias = `a${Math.floor(random() * 5)}`;
      // Aliases move: each client sets its own, so the last one it saw acknowledged is the value, unless
      // the request the kill cut off was applied (it may be: it was never acknowledged either way).
      const owned = `${alias}-c${id}`;
      if (!(await post('registered-models/alias', { name: MODEL, alias: owned, version }))) {
        ledger.aliasesInFlight.set(owned, version);
        return;
      }
      ledger.aliases.set(owned, version);
    }
  }
}

/** Every acknowledged item is in the reopened store, exactly once; returns what opening found. */
async function verify(workspaceDir: string, ledger: Ledger, label: string): Promise<OpenReport> {
  const db = path.join(workspaceDir, '.mlops', 'tracking.db');
  if (existsSync(db)) assert.equal(await integrityCheck(db), 'ok', `${label}: the image a kill left passes integrity_check`);
  const store = await openTrackingStore({ workspaceDir, inProcess: true });
  const recovery = store.recovery;
  try {
    for (const [runId, run] of ledger.runs) {
      for (const [key, steps] of run.points) {
        const { metrics } = await store.api.getMetricHistory({ run_id: runId, metric_key: key });
        const seen = new Map<number, number>();
        for (const m of metrics) seen.set(m.step, (seen.get(m.step) ?? 0) + 1);
        for (const [step, times] of seen) assert.equal(times, 1, `${label}: run ${runId} ${key} step ${step} is there ${times} times`);
        const missing = [...steps].filter((step) => !seen.has(step));
        assert.deepEqual(missing.slice(0, 5), [], `${label}: ${missing.length} acknowledged points of run ${runId} ${key} are missing`);
      }
      const { run: stored } = await store.api.getRun({ run_id: runId });
      const params = new Map(stored.data.params?.map((p) => [p.key, p.value]));
      for (const [key, value] of run.params) assert.equal(params.get(key), value, `${label}: param ${key} of run ${runId}`);
      const tags = new Map(stored.data.tags?.map((t) => [t.key, t.value]));
      for (const [key, value] of run.tags) assert.equal(tags.get(key), value, `${label}: tag ${key} of run ${runId}`);
    }
    if (ledger.modelCreated) {
      const { model_versions } = await store.api.searchModelVersions({ filter: `name='${MODEL}'`, max_results: 10_000 });
      const bySource = new Map<string, number>();
      for (const v of model_versions) bySource.set(v.source, (bySource.get(v.source) ?? 0) + 1);
      for (const [version, source] of ledger.versions) {
        assert.equal(bySource.get(source), 1, `${label}: model version ${version} (${source}) is there once`);
        assert.equal(model_versions.find((v) => v.source === source)?.version, version, `${label}: ${source} kept its version number`);
      }
      const { registered_model } = await store.api.getRegisteredModel({ name: MODEL });
      const aliases = new Map(registered_model.aliases.map((a) => [a.alias, a.version]));
      for (const [alias, version] of ledger.aliases) {
        const stored = aliases.get(alias);
        if (stored !== undefined && stored !== version && stored === ledger.aliasesInFlight.get(alias)) ledger.aliases.set(alias, stored);
        else assert.equal(stored, version, `${label}: alias ${alias}`);
      }
      for (const [alias, version] of ledger.aliasesInFlight) if (aliases.get(alias) === version) ledger.aliases.set(alias, version);
      ledger.aliasesInFlight.clear();
    }
  } finally {
    await store.close();
  }
  assert.equal(await integrityCheck(db), 'ok', `${label}: the reopened store passes integrity_check`);
  const leftovers = readdirSync(path.dirname(db)).filter((name) => name.includes('.tmp-') || name === 'journal.next');
  assert.deepEqual(leftovers, [], `${label}: no temp files after a clean close`);
  return recovery;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Runs `iterations` kill-and-reopen cycles from `seed`; throws (an AssertionError naming the seed) at the first loss. */
export async function runChaos(options: {
  iterations: number;
  seed: number;
  report?: (iteration: IterationReport) => void;
}): Promise<ChaosSummary> {
  // The schedule (where and when to kill) has its own generator; each client has one per iteration.
  const random = generator(options.seed);
  const summary: ChaosSummary = { seed: options.seed, iterations: [], ackedPoints: 0, ackedOther: 0 };
  let workspaceDir = '';
  let ledger = newLedger();
  let order: Target[] = [];
  const workspaces: string[] = [];
  // The next writer loads while this one is written to and checked (its start was a third of an iteration).
  let standby = spawnStandby();
  try {
    for (let iteration = 1; iteration <= options.iterations; iteration++) {
      if ((iteration - 1) % ITERATIONS_PER_WORKSPACE === 0) {
        workspaceDir = mkdtempSync(path.join(tmpdir(), 'mlops-chaos-'));
        workspaces.push(workspaceDir);
        ledger = newLedger();
      }
      const started = performance.now();
      // Every target once per six iterations, in a random order, so that a short run covers them all.
      if ((iteration - 1) % TARGETS.length === 0) order = shuffle([...TARGETS], random);
      const target = order[(iteration - 1) % TARGETS.length] ?? 'random';
      // Appends and syncs come by the hundred; seals, images and renames once a save (every 75-600 ms here).
      const nth = target === 'append' || target === 'sync' ? 2 + Math.floor(random() * 80) : 1 + Math.floor(random() * 4);
      const label = `chaos seed ${options.seed}, iteration ${iteration} (kill at ${target === 'random' ? 'a random moment' : `${target} #${nth}`})`;
      const writer = await startWriter(standby, workspaceDir, target === 'random' ? undefined : `${target}:${nth}`);
      standby = spawnStandby();
      const before = { points: countPoints(ledger), other: countOther(ledger) };
      let clients: Promise<void> = Promise.resolve();
      if (writer.url) {
        if (!ledger.modelCreated) {
          // A create the last kill cut off may have been applied: then it exists already.
          const created = await restPost(writer.url, writer.token, 'registered-models/create', { name: MODEL }).catch(() => undefined);
          ledger.modelCreated = created?.status === 200 || created?.json['error_code'] === 'RESOURCE_ALREADY_EXISTS';
        }
        if (ledger.modelCreated)
          clients = Promise.all(
            Array.from({ length: CLIENTS }, (_, id) =>
              client(id, writer, ledger, generator(options.seed + iteration * 7919 + id * 104_729)),
            ),
          ).then(() => undefined);
      }
      let landed = target === 'random';
      if (target === 'random') await Promise.race([sleep(150 + random() * 1350), writer.exited]);
      else
        landed = await Promise.race([
          writer.paused.then(() => true),
          sleep(PAUSE_DEADLINE_MS).then(() => false),
          writer.exited.then(() => false),
        ]);
      writer.kill();
      await writer.exited;
      await clients;
      const recovery = await verify(workspaceDir, ledger, label);
      if (landed && target === 'append') assert.equal(recovery.tornTails.length, 1, `${label}: the half-written line is a torn tail`);
      const report: IterationReport = {
        iteration,
        target,
        landed,
        ackedPoints: countPoints(ledger) - before.points,
        ackedOther: countOther(ledger) - before.other,
        recovery,
        ms: performance.now() - started,
      };
      summary.iterations.push(report);
      summary.ackedPoints += report.ackedPoints;
      summary.ackedOther += report.ackedOther;
      options.report?.(report);
    }
  } finally {
    standby.child.kill('SIGKILL');
    await standby.exited;
    for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
  }
  return summary;
}

const countPoints = (ledger: Ledger) =>
  [...ledger.runs.values()].reduce((sum, run) => sum + [...run.points.values()].reduce((s, steps) => s + steps.size, 0), 0);
const countOther = (ledger: Ledger) =>
  ledger.runs.size +
  [...ledger.runs.values()].reduce((sum, run) => sum + run.params.size + run.tags.size, 0) +
  ledger.versions.size +
  ledger.aliases.size;

/** One line per iteration, for the test's and the benchmark's output. */
export function describeIteration(r: IterationReport): string {
  const where = r.target === 'random' ? 'a random moment' : `${r.target}${r.landed ? '' : ' (not reached: killed at the deadline)'}`;
  const found = [
    `replayed ${r.recovery.replayedWrites}`,
    r.recovery.tornTails.length ? `torn tail ${r.recovery.tornTails.map((t) => t.bytes).join('+')} bytes` : '',
    r.recovery.staleLockTakenOverFrom ? 'stale lock taken over' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `iteration ${String(r.iteration).padStart(3)}: killed at ${where}; ${r.ackedPoints} points and ${r.ackedOther} other items acknowledged; reopen: ${found} (${(r.ms / 1000).toFixed(1)} s)`;
}

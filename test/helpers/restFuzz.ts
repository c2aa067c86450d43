// The REST fuzzer (issue 20, "Bad input at the REST endpoint"), shared by
// test/integration/restFuzz.test.ts and test/bench/rest-fuzz/run.ts. Requests are generated from
// the request messages the server declares (rest/server.ts ROUTES, MLflow's shapes) and the bodies
// MLflow 2.12.2's client sent (test/fixtures/mlflow-2.12.2), then mutated. Every answer must be a
// 200 or a 4xx in MLflow's error shape; what a 200 acknowledged is kept in a model and read back.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { startServe, type Serving } from './cli';
import { percentile, Random } from './lspRandom';
import { API, FuzzGenerator, type FuzzCase, type FuzzPool } from './restFuzzCases';

export type { FuzzPool } from './restFuzzCases';

export interface FuzzTarget {
  host: string;
  port: number;
  token: string;
}

interface Answer {
  status: number;
  contentType?: string;
  text: string;
  ms: number;
}

// --- sending -----------------------------------------------------------------------------------

function send(target: FuzzTarget, agent: Agent, c: FuzzCase, timeoutMs: number): Promise<Answer> {
  if (c.cutShort) return sendCutShort(target, c, timeoutMs);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        method: c.method,
        path: c.path,
        agent,
        headers: { Host: `127.0.0.1:${target.port}`, ...c.headers, ...(c.body ? { 'Content-Length': String(c.body.length) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(c.body);
  });
}

/** Declares a longer body than it sends, then half-closes: the server must not hang or crash. */
function sendCutShort(target: FuzzTarget, c: FuzzCase, timeoutMs: number): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(target.port, target.host);
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer or close within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({
        status,
        text: text.slice(text.indexOf('\r\n\r\n') + 4),
        contentType: /content-type: ([^\r]+)/i.exec(text)?.[1],
        ms: performance.now() - started,
      });
    });
    const body = c.body ?? Buffer.alloc(0);
    const head = [
      `${c.method} ${c.path} HTTP/1.1`,
      `Host: 127.0.0.1:${target.port}`,
      ...Object.entries(c.headers).map(([k, v]) => `${k}: ${v}`),
      `Content-Length: ${body.length + 100}`,
      'Connection: close',
      '',
      '',
    ].join('\r\n');
    socket.write(head);
    socket.end(body);
  });
}

// --- judging -----------------------------------------------------------------------------------

/** Why an answer is wrong, or undefined. */
function judge(c: FuzzCase, a: Answer): string | undefined {
  // A half-closed request may get no answer at all (the server drops an aborted body): that is fine.
  if (c.cutShort && a.status === 0) return undefined;
  if (a.status >= 500 || a.status < 200 || (a.status > 200 && a.status < 400)) return `status ${a.status}`;
  if (a.status === 200) {
    if (c.mustRefuse) return 'accepted a body MLflow refuses';
    return undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(a.text);
  } catch {
    return `a ${a.status} whose body is not JSON: ${a.text.slice(0, 120)}`;
  }
  const b = body as { error_code?: unknown; message?: unknown };
  if (typeof b.error_code !== 'string' || typeof b.message !== 'string' || Object.keys(b).length !== 2)
    return `a ${a.status} not in MLflow's error shape: ${a.text.slice(0, 160)}`;
  if (!/^application\/json/.test(a.contentType ?? '')) return `a ${a.status} with Content-Type ${a.contentType}`;
  return undefined;
}

// --- the model of what was acknowledged ---------------------------------------------------------

/** A metric value as MLflow stores it from the wire: protobuf's double, spelled as get-history spells it. */
function storedValue(value: unknown): string | undefined {
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? String(n) : undefined;
}

const pointKey = (key: string, value: string, timestamp: number, step: number) => `${key}\u0000${value}\u0000${timestamp}\u0000${step}`;

export class AckModel {
  /** run -> metric points acknowledged (key, value, timestamp, step). */
  readonly points = new Map<string, Set<string>>();
  readonly params = new Map<string, Map<string, string>>();
  /** run -> tag key -> every value a 200 set (writes race), and whether a delete was acknowledged. */
  readonly tags = new Map<string, Map<string, { values: Set<string>; deleted: boolean }>>();
  readonly problems: string[] = [];

  private at<K, V>(map: Map<string, Map<K, V>>, run: string): Map<K, V> {
    let inner = map.get(run);
    if (!inner) map.set(run, (inner = new Map()));
    return inner;
  }

  private point(run: string, m: Record<string, unknown>, label: string): void {
    const value = storedValue(m.value);
    const timestamp = Number(m.timestamp);
    const step = m.step === undefined || m.step === null ? 0 : Number(m.step);
    if (value === undefined || !Number.isSafeInteger(timestamp) || !Number.isSafeInteger(step)) {
      this.problems.push(`${label}: a 200 for a metric MLflow refuses: ${JSON.stringify(m)}`);
      return;
    }
    let set = this.points.get(run);
    if (!set) this.points.set(run, (set = new Set()));
    set.add(pointKey(String(m.key), value, timestamp, step));
  }

  private param(run: string, key: string, value: string): void {
    const params = this.at(this.params, run);
    const before = params.get(key);
    if (before !== undefined && before !== value)
      this.problems.push(`param ${key} of ${run} acknowledged as ${JSON.stringify(before)} and ${JSON.stringify(value)}`);
    params.set(key, value);
  }

  private tag(run: string, key: string, value: string | undefined): void {
    const tags = this.at(this.tags, run);
    const entry = tags.get(key) ?? { values: new Set<string>(), deleted: false };
    if (value === undefined) entry.deleted = true;
    else entry.values.add(value);
    tags.set(key, entry);
  }

  /** Records what an acknowledged (200) write stores, as MLflow reads the message. */
  acknowledge(c: FuzzCase): void {
    const m = c.message;
    if (!m || !c.routePath) return;
    const run = typeof m.run_id === 'string' && m.run_id !== '' ? m.run_id : typeof m.run_uuid === 'string' ? m.run_uuid : '';
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    switch (c.routePath) {
      case '/mlflow/runs/log-metric':
        this.point(run, m, c.label);
        break;
      case '/mlflow/runs/log-parameter':
        this.param(run, String(m.key), text(m.value));
        break;
      case '/mlflow/runs/set-tag':
        this.tag(run, String(m.key), text(m.value));
        break;
      case '/mlflow/runs/delete-tag':
        this.tag(run, String(m.key), undefined);
        break;
      case '/mlflow/runs/log-batch':
        for (const p of (m.params as Record<string, unknown>[] | undefined) ?? []) this.param(run, String(p.key), text(p.value));
        for (const t of (m.tags as Record<string, unknown>[] | undefined) ?? []) this.tag(run, String(t.key), text(t.value));
        for (const point of (m.metrics as Record<string, unknown>[] | undefined) ?? []) this.point(run, point, c.label);
        break;
      case '/mlflow/runs/update':
        if (typeof m.run_name === 'string') this.tag(run, 'mlflow.runName', m.run_name);
        break;
      default:
    }
  }
}

// --- the run -----------------------------------------------------------------------------------

export interface FuzzReport {
  sent: number;
  byStatus: Map<number, number>;
  failures: string[];
  slowest: { ms: number; label: string };
  latencies: number[];
  model: AckModel;
}

/** Sends `count` generated requests, `concurrency` at a time, judging every answer. */
export async function runFuzz(options: {
  target: FuzzTarget;
  pool: FuzzPool;
  seed: number;
  count: number;
  root: string;
  concurrency?: number;
  timeoutMs?: number;
  onProgress?: (done: number) => void;
}): Promise<FuzzReport> {
  const rnd = new Random(options.seed);
  const generator = new FuzzGenerator(rnd, options.pool, options.target.token, options.root);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const model = new AckModel();
  const report: FuzzReport = { sent: 0, byStatus: new Map(), failures: [], slowest: { ms: 0, label: '' }, latencies: [], model };
  // Generated up front, in order, so that a seed always gives the same requests.
  const cases = Array.from({ length: options.count }, () => generator.next());
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const c = cases[index]!;
      let answer: Answer;
      try {
        answer = await send(options.target, agent, c, options.timeoutMs ?? 10_000);
      } catch (error) {
        // No answer: a hang (the timeout), a reset (a long URL the server did not drain), a crash.
        report.failures.push(`#${index} ${c.label} ${c.method} ${c.path.slice(0, 120)}: ${(error as Error).message}`);
        continue;
      } finally {
        report.sent++;
        options.onProgress?.(report.sent);
      }
      report.byStatus.set(answer.status, (report.byStatus.get(answer.status) ?? 0) + 1);
      report.latencies.push(answer.ms);
      if (answer.ms > report.slowest.ms) report.slowest = { ms: answer.ms, label: `${c.label} ${c.method} ${c.path.slice(0, 80)}` };
      const problem = judge(c, answer);
      if (problem) report.failures.push(`#${index} ${c.label} ${c.method} ${c.path.slice(0, 120)}: ${problem}`);
      else if (answer.status === 200) model.acknowledge(c);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  agent.destroy();
  return report;
}

/** One GET with the token; the parsed JSON answer. */
async function getJson(target: FuzzTarget, url: string): Promise<{ status: number; json: unknown; ms: number }> {
  const agent = new Agent();
  const c: FuzzCase = { label: 'read back', method: 'GET', path: url, headers: { Authorization: `Bearer ${target.token}` } };
  const a = await send(target, agent, c, 10_000);
  agent.destroy();
  return { status: a.status, json: JSON.parse(a.text) as unknown, ms: a.ms };
}

async function postJson(target: FuzzTarget, url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const agent = new Agent();
  const c: FuzzCase = {
    label: 'setup',
    method: 'POST',
    path: url,
    headers: { Authorization: `Bearer ${target.token}`, 'Content-Type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  };
  const a = await send(target, agent, c, 10_000);
  agent.destroy();
  return { status: a.status, json: JSON.parse(a.text) as unknown };
}

/**
 * Reads every pool run back and compares it with what was acknowledged: metric histories hold
 * exactly the acknowledged points (nothing refused slipped in, nothing acknowledged is missing),
 * params equal, tags hold one of the values written. Returns the differences.
 */
export async function verifyAcknowledged(
  target: FuzzTarget,
  pool: FuzzPool,
  model: AckModel,
): Promise<{ problems: string[]; checked: number }> {
  const problems = [...model.problems];
  let checked = 0;
  type RunData = {
    run: { data: { metrics?: { key: string }[]; params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] } };
  };
  for (const runId of pool.runIds) {
    const got = await getJson(target, `${API}/mlflow/runs/get?run_id=${runId}`);
    if (got.status !== 200) {
      problems.push(`run ${runId}: runs/get answered ${got.status}`);
      continue;
    }
    const data = (got.json as RunData).run.data;
    const expectedPoints = model.points.get(runId) ?? new Set<string>();
    const keys = new Set([...(data.metrics ?? []).map((m) => m.key), ...[...expectedPoints].map((p) => p.split('\u0000')[0]!)]);
    const stored = new Set<string>();
    for (const key of keys) {
      const history = await getJson(target, `${API}/mlflow/metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}`);
      const metrics =
        (history.json as { metrics?: { key: string; value: number | string; timestamp: number; step: number }[] }).metrics ?? [];
      for (const m of metrics) stored.add(pointKey(m.key, typeof m.value === 'number' ? String(m.value) : m.value, m.timestamp, m.step));
    }
    for (const p of expectedPoints)
      if (!stored.has(p)) problems.push(`run ${runId}: acknowledged point ${JSON.stringify(p.split('\u0000'))} is not stored`);
    for (const p of stored)
      if (!expectedPoints.has(p)) problems.push(`run ${runId}: stored point ${JSON.stringify(p.split('\u0000'))} was never acknowledged`);
    checked += stored.size;
    const params = new Map((data.params ?? []).map((p) => [p.key, p.value]));
    const expectedParams = model.params.get(runId) ?? new Map<string, string>();
    for (const [k, v] of expectedParams)
      if (params.get(k) !== v)
        problems.push(`run ${runId}: param ${k} is ${JSON.stringify(params.get(k))}, acknowledged ${JSON.stringify(v)}`);
    for (const k of params.keys()) if (!expectedParams.has(k)) problems.push(`run ${runId}: param ${k} was never acknowledged`);
    checked += params.size;
    const tags = new Map((data.tags ?? []).map((t) => [t.key, t.value]));
    for (const [k, entry] of model.tags.get(runId) ?? new Map<string, { values: Set<string>; deleted: boolean }>()) {
      const value = tags.get(k);
      if (value === undefined ? !entry.deleted : !entry.values.has(value))
        problems.push(
          `run ${runId}: tag ${k} is ${JSON.stringify(value)}, acknowledged ${JSON.stringify([...entry.values])}${entry.deleted ? ' or deleted' : ''}`,
        );
    }
    for (const k of tags.keys())
      if (!k.startsWith('mlflow.') && !model.tags.get(runId)?.has(k)) problems.push(`run ${runId}: tag ${k} was never acknowledged`);
    checked += tags.size;
  }
  return { problems, checked };
}

// --- the workspace ------------------------------------------------------------------------------

/** Sets up a workspace, serves it and fills the pool the generator aims at. */
export async function fuzzWorkspace(): Promise<{
  ws: string;
  outside: string;
  serving: Serving;
  target: FuzzTarget;
  pool: FuzzPool;
  stderr: () => string;
}> {
  const ws = mkdtempSync(path.join(tmpdir(), 'mlops-rest-fuzz-'));
  const outside = mkdtempSync(path.join(tmpdir(), 'mlops-rest-fuzz-outside-'));
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  // Symlinks inside the artifact root that lead out of it: never followed, for reading or writing.
  const artifacts = path.join(ws, '.mlops', 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  symlinkSync(outside, path.join(artifacts, 'escape'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(artifacts, 'link-out.txt'));
  const serving = await startServe(ws);
  let stderr = '';
  serving.process.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new URL(serving.url);
  const target: FuzzTarget = { host: url.hostname, port: Number(url.port), token: serving.token };
  const experiment = await postJson(target, '/api/2.0/mlflow/experiments/create', { name: 'fuzz' });
  const experimentId = (experiment.json as { experiment_id: string }).experiment_id;
  const runIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const run = await postJson(target, '/api/2.0/mlflow/runs/create', { experiment_id: experimentId, start_time: Date.now() });
    runIds.push((run.json as { run: { info: { run_id: string } } }).run.info.run_id);
  }
  await postJson(target, '/api/2.0/mlflow/registered-models/create', { name: 'fuzz-model' });
  await postJson(target, '/api/2.0/mlflow/model-versions/create', {
    name: 'fuzz-model',
    source: 'file:///tmp/fuzz-model',
    run_id: runIds[0],
  });
  return {
    ws,
    outside,
    serving,
    target,
    pool: { experimentIds: [experimentId, '0'], runIds, modelName: 'fuzz-model' },
    stderr: () => stderr,
  };
}

/** Stops `mlops serve` (it saves the store) and runs SQLite's integrity check on what it left. */
export async function integrityAfterStop(serving: Serving, ws: string): Promise<string> {
  const exited = new Promise((resolve) => serving.process.once('exit', resolve));
  serving.process.kill('SIGTERM');
  await exited;
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(path.join(ws, '.mlops', 'tracking.db')));
  try {
    return String(db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0]);
  } finally {
    db.close();
  }
}

/** Median time of `n` ordinary requests (runs/get of a pool run). */
export async function normalRequestMs(target: FuzzTarget, runId: string, n = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const got = await getJson(target, `/api/2.0/mlflow/runs/get?run_id=${runId}`);
    if (got.status !== 200) throw new Error(`runs/get answered ${got.status}`);
    times.push(got.ms);
  }
  return percentile(times, 50);
}

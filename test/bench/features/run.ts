// The feature-retrieval benchmark (issue 16, "Speed"): prints every figure, asserts nothing.
// Usage: npx tsx test/bench/features/run.ts
//   BENCH_PYTHON=/usr/bin/python3 (default; Debian's python3-pandas) runs the pandas anchor; BENCH_PYTHON=0 skips it.
//
// A point-in-time join of 1,000,000 feature rows in 2 views (500,000 each, 50,000 customers x 10
// snapshots) against 100,000 entity rows, CSV in and CSV out, by the built `mlops features
// historical` (a whole process: start, read, join, write) and by pandas merge_asof doing the same
// (read, sort, merge per view with the ttl as tolerance, restore entity order, write).
// Then `mlops features materialize` of both views, and online lookups over HTTP against `mlops serve`.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'client/out/cli.js');
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const CUSTOMERS = 50_000;
const SNAPSHOTS = 10;
const ENTITY_ROWS = 100_000;
const REPEATS = 3;
const HOUR = 3_600_000;
/** Six days ago, so that the latest snapshots are within the views' ttls for the online lookups. */
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 6 * 24 * HOUR;
const ORDERS = ['total', 'count', 'returns', 'discount', 'basket'];
const VISITS = ['minutes', 'pages', 'sessions', 'searches', 'carts'];
const FEATURES = [...ORDERS.map((f) => `orders:${f}`), ...VISITS.map((f) => `visits:${f}`)];
const LOOKUPS = 5000;
const ROUNDS = 3;

function lcg(seed: number) {
  let state = seed;
  return () => (state = (state * 1664525 + 1013904223) % 4294967296) / 4294967296;
}
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

async function writeLines(file: string, header: string, rows: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 0; i < rows; i += 10_000) {
    const chunk: string[] = [];
    for (let j = i; j < Math.min(rows, i + 10_000); j++) chunk.push(line(j));
    if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

const PANDAS = `
import sys, time, pandas as pd
d = sys.argv[1]
started = time.perf_counter()
ent = pd.read_csv(f"{d}/entities.csv", parse_dates=["event_timestamp"])
ent["_order"] = range(len(ent))
out = ent.sort_values("event_timestamp")
for view, src, ttl in [("orders", "orders.csv", "2d"), ("visits", "visits.csv", "1d")]:
    f = pd.read_csv(f"{d}/{src}", parse_dates=["ts"]).sort_values("ts")
    out = pd.merge_asof(out, f.rename(columns={"ts": "_ts_" + view}), left_on="event_timestamp", right_on="_ts_" + view,
                        by="customer_id", direction="backward", tolerance=pd.Timedelta(ttl)).drop(columns=["_ts_" + view])
out = out.sort_values("_order").drop(columns=["_order"])
out["event_timestamp"] = out["event_timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
out.to_csv(f"{d}/pandas.csv", index=False)
print(f"{time.perf_counter() - started:.3f} {len(out)}")
`;

async function main(): Promise<void> {
  // BENCH_KEEP=1 leaves the generated files in place (for a profile), and says where.
  const keep = process.env.BENCH_KEEP === '1';
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-features-'));
  if (keep) console.log(`data in ${dir}`);
  try {
    const seedStarted = performance.now();
    const u = lcg(7);
    await writeLines(path.join(dir, 'orders.csv'), 'customer_id,ts,total,count,returns,discount,basket', CUSTOMERS * SNAPSHOTS, (i) => {
      const c = i % CUSTOMERS;
      const s = Math.floor(i / CUSTOMERS);
      return `${c},${iso(T0 + s * 12 * HOUR + (c % 3600) * 1000)},${(u() * 500).toFixed(2)},${Math.floor(u() * 40)},${Math.floor(u() * 5)},${(u() * 30).toFixed(1)},${Math.floor(u() * 12)}`;
    });
    await writeLines(path.join(dir, 'visits.csv'), 'customer_id,ts,minutes,pages,sessions,searches,carts', CUSTOMERS * SNAPSHOTS, (i) => {
      const c = i % CUSTOMERS;
      const s = Math.floor(i / CUSTOMERS);
      return `${c},${iso(T0 + s * 9 * HOUR + (c % 1800) * 1000)},${Math.floor(u() * 300)},${Math.floor(u() * 90)},${Math.floor(u() * 20)},${Math.floor(u() * 50)},${Math.floor(u() * 8)}`;
    });
    await writeLines(path.join(dir, 'entities.csv'), 'customer_id,event_timestamp,label', ENTITY_ROWS, (i) => {
      const c = Math.floor(u() * CUSTOMERS * 1.02); // some customers have no rows
      return `${c},${iso(T0 + Math.floor(u() * 130) * HOUR)},${i % 2}`;
    });
    writeFileSync(
      path.join(dir, 'bench.features.yaml'),
      [
        'entities:',
        '  - name: customer',
        '    join_keys: [customer_id]',
        'sources:',
        '  - { name: orders_src, type: file, path: orders.csv, timestamp_field: ts }',
        '  - { name: visits_src, type: file, path: visits.csv, timestamp_field: ts }',
        'feature_views:',
        '  - name: orders',
        '    entities: [customer]',
        '    ttl: 2d',
        '    online: true',
        '    source: orders_src',
        `    schema: [${ORDERS.map((f) => `{ name: ${f}, dtype: Float64 }`).join(', ')}]`,
        '  - name: visits',
        '    entities: [customer]',
        '    ttl: 1d',
        '    online: true',
        '    source: visits_src',
        `    schema: [${VISITS.map((f) => `{ name: ${f}, dtype: Int64 }`).join(', ')}]`,
        '',
      ].join('\n'),
    );
    console.log(
      `feature-retrieval benchmark (Node ${process.version}); machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `seeded ${(2 * CUSTOMERS * SNAPSHOTS).toLocaleString('en-US')} feature rows in 2 views and ${ENTITY_ROWS.toLocaleString('en-US')} entity rows in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s\n`,
    );
    console.log('point-in-time join, CSV in, CSV out (goal: <= 3 s, and no slower than pandas)');
    const ours: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      const r = spawnSync(
        process.execPath,
        [CLI, 'features', 'historical', '--features', FEATURES.join(','), '--entities', 'entities.csv', '-o', 'ours.csv'],
        { cwd: dir, encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      ours.push((performance.now() - started) / 1000);
    }
    console.log(`  ${'mlops features historical (whole process)'.padEnd(48)} ${ours.map((s) => `${s.toFixed(2)} s`).join(', ')}`);
    if (PYTHON !== '0') {
      const pandas: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const started = performance.now();
        const r = spawnSync(PYTHON, ['-c', PANDAS, dir], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr);
        pandas.push((performance.now() - started) / 1000);
      }
      console.log(`  ${'pandas merge_asof (whole process)'.padEnd(48)} ${pandas.map((s) => `${s.toFixed(2)} s`).join(', ')}`);
      const same = readFileSync(path.join(dir, 'ours.csv'), 'utf8').split('\n');
      const theirs = readFileSync(path.join(dir, 'pandas.csv'), 'utf8').split('\n');
      let differ = 0;
      for (let i = 0; i < Math.max(same.length, theirs.length); i++) {
        const a = (same[i] ?? '').split(',').map((v) => (v === '' ? '' : Number.isNaN(Number(v)) ? v : String(Number(v))));
        const b = (theirs[i] ?? '').split(',').map((v) => (v === '' ? '' : Number.isNaN(Number(v)) ? v : String(Number(v))));
        if (a.join(',') !== b.join(',')) differ++;
      }
      console.log(`  ${'rows that differ between the two outputs'.padEnd(48)} ${differ}`);
      if (differ) console.log(`    ours:   ${same.slice(0, 2).join(' | ')}\n    pandas: ${theirs.slice(0, 2).join(' | ')}`);
    }

    console.log('\nmaterialize the 1,000,000 rows of both views (goal: <= 5 s)');
    const started = performance.now();
    const m = spawnSync(process.execPath, [CLI, 'features', 'materialize', '--end', '2030-01-01'], { cwd: dir, encoding: 'utf8' });
    if (m.status !== 0) throw new Error(m.stderr);
    console.log(`  ${'mlops features materialize (whole process)'.padEnd(48)} ${((performance.now() - started) / 1000).toFixed(2)} s`);
    for (const line of m.stdout.trim().split('\n')) console.log(`    ${line}`);

    console.log(
      `\nonline lookups over HTTP: POST /get-online-features, 10 features, 1 entity, one client, ${LOOKUPS.toLocaleString('en-US')} requests (goal: >= 2,000/s, p99 <= 10 ms)`,
    );
    const serve = spawn(process.execPath, [CLI, 'serve', '--workspace', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
        let out = '';
        serve.stdout.on('data', (chunk: Buffer) => {
          out += chunk;
          const u = /MLFLOW_TRACKING_URI=(\S+)/.exec(out)?.[1];
          const t = /MLFLOW_TRACKING_TOKEN=(\S+)/.exec(out)?.[1];
          if (u && t) resolve({ url: u, token: t });
        });
        serve.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      // Rounds alternate between our server and the anchor, so that a slow spell of the machine
      // falls on both; each round's figures are printed, then the medians.
      const bare = spawn(process.execPath, ['-e', BARE_SERVER, JSON.stringify(await sampleAnswer(url, token))], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      try {
        const bareUrl = await new Promise<string>((resolve) =>
          bare.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
        );
        const ours: Lookups[] = [];
        const anchor: Lookups[] = [];
        for (let round = 1; round <= ROUNDS; round++) {
          ours.push(await measureLookups(url, token));
          anchor.push(await measureLookups(bareUrl, 'none'));
          console.log(
            `  round ${round}: ${'mlops serve'.padEnd(12)} ${ours.at(-1)!.rate.toFixed(0).padStart(5)} requests/s, p50 ${ours.at(-1)!.p50} / p99 ${ours.at(-1)!.p99} / max ${ours.at(-1)!.max} ms, ${ours.at(-1)!.present} of ${LOOKUPS} PRESENT`,
          );
          console.log(
            `           ${'anchor'.padEnd(12)} ${anchor.at(-1)!.rate.toFixed(0).padStart(5)} requests/s, p50 ${anchor.at(-1)!.p50} / p99 ${anchor.at(-1)!.p99} / max ${anchor.at(-1)!.max} ms`,
          );
        }
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        console.log(
          `  ${'median: mlops serve'.padEnd(48)} ${median(ours.map((o) => o.rate)).toFixed(0)} requests/s, p99 ${median(ours.map((o) => Number(o.p99))).toFixed(2)} ms`,
        );
        console.log(
          `  ${'median: anchor, a bare node:http server'.padEnd(48)} ${median(anchor.map((o) => o.rate)).toFixed(0)} requests/s, p99 ${median(anchor.map((o) => Number(o.p99))).toFixed(2)} ms (a fixed answer of the same size)`,
        );
      } finally {
        bare.kill();
      }
    } finally {
      serve.kill();
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** A Node HTTP server that answers every request with argv[1], after reading the body: the floor of a lookup. */
const BARE_SERVER = `
const body = process.argv[1];
require('node:http').createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });
`;

interface Lookups {
  rate: number;
  p50: string;
  p99: string;
  max: string;
  present: number;
}

/** One lookup's request, from one client on one kept-alive connection, as an inference service holds it. */
function lookup(agent: Agent, url: string, token: string, id: number) {
  return new Promise<{ results: { statuses: string[] }[] }>((resolve, reject) => {
    const body = JSON.stringify({ features: FEATURES, entities: { customer_id: [String(id % CUSTOMERS)] } });
    const req = request(
      new URL(`${url}/get-online-features`),
      {
        method: 'POST',
        agent,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${text}`));
          else resolve(JSON.parse(text) as { results: { statuses: string[] }[] });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Our answer for one entity: the anchor answers with it, so both send the same bytes. */
async function sampleAnswer(url: string, token: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return await lookup(agent, url, token, 1);
  } finally {
    agent.destroy();
  }
}

/** LOOKUPS lookups of 10 features for one entity, one after another, after a warm-up. */
async function measureLookups(url: string, token: string): Promise<Lookups> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 200; i++) await lookup(agent, url, token, i); // warm-up
  const latencies: number[] = [];
  let present = 0;
  const all = performance.now();
  for (let i = 0; i < LOOKUPS; i++) {
    const t = performance.now();
    const answer = await lookup(agent, url, token, i * 7919);
    latencies.push(performance.now() - t);
    if (answer.results[1]?.statuses[0] === 'PRESENT') present++;
  }
  const seconds = (performance.now() - all) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2);
  return { rate: LOOKUPS / seconds, p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1)!.toFixed(2), present };
}

void main();

// The feature-retrieval benchmark (issue 16, "Speed"): prints every figure, asserts nothing.
// Usage: npx tsx test/bench/features/run.ts
//   BENCH_PYTHON=/usr/bin/python3 (default; Debian's python3-pandas) runs the pandas anchor; BENCH_PYTHON=0 skips it.
//
// A point-in-time join of 1,000,000 feature rows in 2 views (500,000 each, 50,000 customers x 10
// snapshots) against 100,000 entity rows, CSV in and CSV out, by the built `mlops features
// historical` (a whole process: start, read, join, write) and by pandas merge_asof doing the same
// (read, sort, merge per view with the ttl as tolerance, restore entity order, write).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

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
for view, src, cols, ttl in [("orders", "orders.csv", ["total", "count"], "2d"), ("visits", "visits.csv", ["minutes", "pages"], "1d")]:
    f = pd.read_csv(f"{d}/{src}", parse_dates=["ts"]).sort_values("ts")
    out = pd.merge_asof(out, f.rename(columns={"ts": "_ts_" + view}), left_on="event_timestamp", right_on="_ts_" + view,
                        by="customer_id", direction="backward", tolerance=pd.Timedelta(ttl)).drop(columns=["_ts_" + view])
out = out.sort_values("_order").drop(columns=["_order"])
out["event_timestamp"] = out["event_timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
out.to_csv(f"{d}/pandas.csv", index=False)
print(f"{time.perf_counter() - started:.3f} {len(out)}")
`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-features-'));
  try {
    const seedStarted = performance.now();
    const u = lcg(7);
    await writeLines(path.join(dir, 'orders.csv'), 'customer_id,ts,total,count', CUSTOMERS * SNAPSHOTS, (i) => {
      const c = i % CUSTOMERS;
      const s = Math.floor(i / CUSTOMERS);
      return `${c},${iso(T0 + s * 12 * HOUR + (c % 3600) * 1000)},${(u() * 500).toFixed(2)},${Math.floor(u() * 40)}`;
    });
    await writeLines(path.join(dir, 'visits.csv'), 'customer_id,ts,minutes,pages', CUSTOMERS * SNAPSHOTS, (i) => {
      const c = i % CUSTOMERS;
      const s = Math.floor(i / CUSTOMERS);
      return `${c},${iso(T0 + s * 9 * HOUR + (c % 1800) * 1000)},${Math.floor(u() * 300)},${Math.floor(u() * 90)}`;
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
        '    source: orders_src',
        '    schema: [{ name: total, dtype: Float64 }, { name: count, dtype: Int64 }]',
        '  - name: visits',
        '    entities: [customer]',
        '    ttl: 1d',
        '    source: visits_src',
        '    schema: [{ name: minutes, dtype: Int64 }, { name: pages, dtype: Int64 }]',
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
        [
          CLI,
          'features',
          'historical',
          '--features',
          'orders:total,orders:count,visits:minutes,visits:pages',
          '--entities',
          'entities.csv',
          '-o',
          'ours.csv',
        ],
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
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

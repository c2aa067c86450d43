// The drift benchmark (issue 9, "Speed"): prints every figure, asserts nothing.
// Usage: npx tsx test/bench/drift/run.ts
//   BENCH_PYTHON=/usr/bin/python3 (default; Debian's python3-scipy) picks the scipy side; BENCH_PYTHON=0 skips it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readTable } from '../../../client/src/core/drift/dataTable';
import { ks2samp, sorted } from '../../../client/src/core/drift/ks';
import { driftReport } from '../../../client/src/core/drift/report';

const REPEATS = 3;
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-drift-'));

/** The LCG of test/fixtures/drift/generate_vectors.py. */
function lcg(seed: number) {
  let state = seed;
  return () => (state = (state * 1664525 + 1013904223) % 4294967296) / 4294967296;
}

function bell(n: number, seed: number, shift = 0, scale = 1): Float64Array {
  const u = lcg(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (u() + u() + u() + u()) * scale + shift;
  return out;
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const line = (label: string, value: string) => console.log(`  ${label.padEnd(52)} ${value}`);

function timeIt<T>(fn: () => T): { seconds: number; result: T } {
  const t = performance.now();
  const result = fn();
  return { seconds: (performance.now() - t) / 1000, result };
}

// The scipy side prints whatever JSON the figure needs; each caller reads its own fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function python(args: string[]): any | undefined {
  if (PYTHON === '0') return undefined;
  const r = spawnSync(PYTHON, [path.join(__dirname, 'scipy_side.py'), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.log(`  (scipy side skipped: ${PYTHON} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)})`);
    return undefined;
  }
  return JSON.parse(r.stdout);
}

function ksBenchmark(): void {
  const n = 1_000_000;
  console.log(
    `\nKS, ${n.toLocaleString('en-US')} against ${n.toLocaleString('en-US')} values (asymptotic p-value), best and median of ${REPEATS}`,
  );
  const a = bell(n, 1);
  const b = bell(n, 2, 0.003);
  const times: number[] = [];
  let result;
  for (let i = 0; i < REPEATS; i++) {
    const t = timeIt(() => ks2samp(a, b)); // sorts copies: the full cost
    times.push(t.seconds);
    result = t.result;
  }
  line('ours: ks2samp (copy, radix sort, merge, p)', `best ${ms(Math.min(...times))}, median ${ms(median(times))}`);
  const sortOnly = timeIt(() => sorted(a));
  line('  of which one 1M Float64Array copy + radix sort', ms(sortOnly.seconds));
  line('  D, p', `${result!.statistic}, ${result!.pValue}`);
  writeFileSync(path.join(dir, 'a.f64'), new Uint8Array(a.buffer));
  writeFileSync(path.join(dir, 'b.f64'), new Uint8Array(b.buffer));
  const py = python(['ks', path.join(dir, 'a.f64'), path.join(dir, 'b.f64'), String(REPEATS)]);
  if (py) {
    line(`scipy ${py.scipy}: ks_2samp`, `best ${ms(Math.min(...py.times))}, median ${ms(median(py.times))}`);
    line('  D, p', `${py.statistic}, ${py.pvalue}`);
    line('ours / scipy (best)', (Math.min(...times) / Math.min(...py.times)).toFixed(2));
  }
}

const ROWS = 100_000;
const PLANS = ['basic', 'pro', 'enterprise', 'trial'];

/** 20 columns: 14 continuous, 3 with 3-5 values, 3 text. */
function writeCsv(file: string, seed: number, shift: number): void {
  const u = lcg(seed);
  const header = [...Array.from({ length: 14 }, (_, i) => `x${i}`), 'level0', 'level1', 'level2', 'plan', 'region', 'channel'];
  const lines = [header.join(',')];
  for (let r = 0; r < ROWS; r++) {
    const cells: string[] = [];
    for (let c = 0; c < 14; c++) cells.push(((u() + u() + u() + u()) * (c + 1) + (c < 4 ? shift : 0)).toFixed(4));
    for (let c = 0; c < 3; c++) cells.push(String(Math.floor(u() * (3 + c))));
    cells.push(PLANS[Math.floor(u() * u() * 4)]!, `r${Math.floor(u() * 8)}`, u() < 0.5 ? 'web' : 'store');
    lines.push(cells.join(','));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

async function reportBenchmark(): Promise<void> {
  const ref = path.join(dir, 'reference.csv');
  const cur = path.join(dir, 'current.csv');
  writeCsv(ref, 11, 0);
  writeCsv(cur, 12, 0.5);
  console.log(
    `\nfull auto report: reference and current CSVs of ${ROWS.toLocaleString('en-US')} rows x 20 columns (14 continuous, 3 with 3-5 values, 3 text)`,
  );
  const runs: { read: number; report: number; ks: number }[] = [];
  let summary = '';
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    const [reference, current] = await Promise.all([readTable(ref), readTable(cur)]);
    const t1 = performance.now();
    const report = driftReport(reference, current, { method: 'auto', datasetDriftShare: 0.5 });
    const t2 = performance.now();
    const ks = driftReport(reference, current, { method: 'ks', datasetDriftShare: 0.5 });
    const t3 = performance.now();
    runs.push({ read: (t1 - t0) / 1000, report: (t2 - t1) / 1000, ks: (t3 - t2) / 1000 });
    const methods = new Map<string, number>();
    for (const c of report.columns) methods.set(c.method, (methods.get(c.method) ?? 0) + 1);
    summary = `${[...methods].map(([m, k]) => `${k} ${m}`).join(', ')}; ${report.driftedColumns} drifted; KS run on ${ks.columns.length} numeric columns`;
  }
  const best = (k: 'read' | 'report' | 'ks') => Math.min(...runs.map((r) => r[k]));
  line('ours: read both CSVs (d3-dsv)', ms(best('read')));
  line('ours: auto report (prepare columns + statistics)', ms(best('report')));
  line('ours: read + auto report', ms(Math.min(...runs.map((r) => r.read + r.report))));
  line('ours: --method ks on every numeric column (17)', ms(best('ks')));
  line('  columns', summary);
  const py = python(['csv', ref, cur, String(REPEATS)]);
  if (py) {
    line(`scipy ${py.scipy}: read numeric columns (csv module + numpy)`, `${ms(py.read_s)}`);
    line(`scipy ${py.scipy}: ks_2samp on each of the ${py.columns} numeric columns`, `best ${ms(Math.min(...py.ks_s))}`);
    line('ours auto report / scipy KS (statistics only, best)', (best('report') / Math.min(...py.ks_s)).toFixed(2));
    line('ours KS / scipy KS (statistics only, best)', (best('ks') / Math.min(...py.ks_s)).toFixed(2));
    line('ours read + report / scipy read + KS', ((best('read') + best('report')) / (py.read_s + Math.min(...py.ks_s))).toFixed(2));
  }
}

async function main(): Promise<void> {
  console.log(
    `drift benchmark (Node ${process.version}; machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  if (PYTHON !== '0' && !existsSync(PYTHON)) console.log(`  (${PYTHON} not found: scipy figures skipped; apt-get install python3-scipy)`);
  try {
    ksBenchmark();
    await reportBenchmark();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

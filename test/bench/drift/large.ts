// Drift at ten million rows (issue 20): a reference and a current CSV of ROWS rows x 10 numeric
// columns, tested with KS on every column by checkDrift (what `mlops drift --method ks` runs:
// streamed, one column of both sides in memory at a time), beside scipy's ks_2samp on the same
// files read by np.loadtxt, then by pandas.read_csv (the issue's two ways; on Debian 12's numpy
// 1.24 and pandas 1.5 loadtxt reads faster). Each side runs in a process of its own, so peak memory
// is its own. Prints every
// figure and one `BENCH_JSON {...}` line per size (test/bench/report reads these); asserts nothing.
//
//   npx tsx test/bench/drift/large.ts                      # 10,000,000 rows
//   npx tsx test/bench/drift/large.ts --rows 100000,1000000
//   BENCH_PYTHON=/usr/bin/python3 (default; Debian's python3-scipy and python3-pandas), BENCH_PYTHON=0 skips scipy
//
// The CSVs are written once (a fast deterministic generator, largeData.ts) to $MLOPS_BENCH_DATA
// (default <tmpdir>/mlops-bench-drift-data) and reused by later runs: delete the folder to redo them.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { largePair } from './largeData';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

function sizes(): number[] {
  const at = process.argv.indexOf('--rows');
  const arg = at >= 0 ? process.argv[at + 1] : undefined;
  return arg ? arg.split(',').map((s) => Number(s.replaceAll('_', ''))) : [10_000_000];
}

interface ColumnFigure {
  column: string;
  statistic: number;
  pvalue: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function runJson(command: string, args: string[]): any | undefined {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.log(
      `  (${path.basename(command)} ${path.basename(args[1] ?? args[0] ?? '')} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)})`,
    );
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const line = (label: string, value: string) => console.log(`  ${label.padEnd(60)}  ${value}`);
const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

function maxDiff(ours: { columns: { column: string; statistic: number; pValue: number }[] }, theirs: { columns: ColumnFigure[] }) {
  let p = 0;
  let d = 0;
  for (const c of theirs.columns) {
    const o = ours.columns.find((x) => x.column === c.column);
    if (!o) return { p: NaN, d: NaN };
    p = Math.max(p, Math.abs(o.pValue - c.pvalue));
    d = Math.max(d, Math.abs(o.statistic - c.statistic));
  }
  return { p, d };
}

/** scipy's side after each reader at the largest size it ran, for anchorsAt. */
const anchorTimes = new Map<string, { rows: number; seconds: number }>();

/**
 * The readers scipy's side runs at `rows`: both, up to 1,000,000 rows; above, only the one that was faster at
 * the largest size below (the rule: np.loadtxt, or pandas.read_csv if that is faster), which keeps the
 * 10,000,000-row job a minute shorter. Both when nothing smaller ran.
 */
function anchorsAt(rows: number): string[] {
  const both = ['loadtxt', 'pandas'];
  const [loadtxt, pandas] = both.map((reader) => anchorTimes.get(reader));
  if (rows <= 1_000_000 || !loadtxt || !pandas || loadtxt.rows !== pandas.rows) return both;
  const faster = pandas.seconds < loadtxt.seconds ? 'pandas' : 'loadtxt';
  const other = faster === 'pandas' ? 'np.loadtxt' : 'pandas.read_csv';
  line(`  ${other}: not run at this size`, `slower than the other reader at ${loadtxt.rows.toLocaleString('en-US')} rows`);
  return [faster];
}

/** Reads the files through once, so that the page cache holds them; returns the seconds it took. */
function warm(files: readonly string[]): number {
  const started = performance.now();
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
  return (performance.now() - started) / 1000;
}

function main(): void {
  console.log(
    `drift at scale (Node ${process.version}; ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  const python = PYTHON !== '0' && existsSync(PYTHON);
  if (PYTHON !== '0' && !python)
    console.log(`  (${PYTHON} not found: scipy figures skipped; apt-get install python3-scipy python3-pandas)`);
  for (const rows of sizes()) {
    const t = performance.now();
    const pair = largePair(rows);
    const bytes = statSync(pair.reference).size + statSync(pair.current).size;
    console.log(`\n${rows.toLocaleString('en-US')} rows x 10 numeric columns, both sides (${mb(bytes)} of CSV)`);
    line(pair.reused ? 'data: reused' : 'data: written', pair.reused ? path.dirname(pair.reference) : s((performance.now() - t) / 1000));
    // Every side reads warm files: the first one timed would otherwise pay for reading them from disk
    // (after the other benchmarks' gigabytes had pushed them out of the page cache, 5 s at 1M rows).
    line('page cache', `both files read once before any side is timed (${s(warm([pair.reference, pair.current]))})`);
    const ours = runJson(process.execPath, ['--import', 'tsx', path.join(__dirname, 'largeCheck.ts'), pair.reference, pair.current]);
    if (!ours) continue;
    line('ours: checkDrift --method ks (stream, spill, sort, KS)', `${s(ours.seconds)} (CPU ${s(ours.cpuSeconds)}, every thread)`);
    line('ours: peak RSS of the process', `${ours.maxRssMb.toFixed(0)} MB`);
    const figures: Record<string, number | string> = {
      bench: 'drift-large',
      rows,
      csvMb: bytes / 1e6,
      oursS: ours.seconds,
      oursCpuS: ours.cpuSeconds,
      oursRssMb: ours.maxRssMb,
    };
    if (python) {
      for (const reader of anchorsAt(rows)) {
        const py = runJson(PYTHON, [path.join(__dirname, 'scipy_side.py'), 'large', pair.reference, pair.current, reader]);
        if (!py) continue;
        const diff = maxDiff(ours, py);
        const label = reader === 'pandas' ? 'pandas.read_csv' : 'np.loadtxt';
        line(
          `scipy ${py.scipy}: ${label} + ks_2samp`,
          `${s(py.read_s + py.ks_s)} (read ${s(py.read_s)}, KS ${s(py.ks_s)}; CPU ${s(py.cpu_s)})`,
        );
        line(`  ${label}: peak RSS`, `${py.max_rss_mb.toFixed(0)} MB`);
        line(`  ${label}: max |p - scipy's p|, max |D - scipy's D|`, `${diff.p.toExponential(2)}, ${diff.d.toExponential(2)}`);
        line(`  ours / ${label} + scipy`, (ours.seconds / (py.read_s + py.ks_s)).toFixed(2));
        figures[`${reader}S`] = py.read_s + py.ks_s;
        anchorTimes.set(reader, { rows, seconds: py.read_s + py.ks_s });
        figures[`${reader}RssMb`] = py.max_rss_mb;
        figures[`${reader}CpuS`] = py.cpu_s;
        figures[`${reader}MaxPDiff`] = diff.p;
        figures.scipy = py.scipy;
      }
    }
    console.log(`BENCH_JSON ${JSON.stringify(figures)}`);
  }
}

main();

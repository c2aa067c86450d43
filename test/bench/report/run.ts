// `npm run bench`: runs every benchmark under test/bench, one process each, and writes
// docs/benchmarks.md (the machine, the date, a table per benchmark) and the SVG charts of how cost
// grows with the work under docs/benchmarks/ (svgChart.ts draws them; no chart library).
//
//   npm run bench                  # every size (budget: 20 minutes on the 2-CPU machine)
//   npm run bench -- --quick       # the smaller sizes only, and the benchmarks that take seconds
//   npm run bench -- --only drift-large,trees-1000  # rerun some jobs (by id), keep the others from
//                                  docs/benchmarks/results.json; --no-build skips `npm run build`
//   npm run bench -- --with-e2e    # also charts/draw.ts (needs `npm run package` and code-server)
//
// Each benchmark prints its figures; this script keeps what they print: `BENCH_JSON {...}` lines,
// markdown tables and "label   value" lines (parse.ts). A benchmark that fails or times out is
// reported as such; the others still run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCharts, type JobResult } from './charts';
import { markdownTable, parseOutput } from './parse';

const ROOT = path.resolve(__dirname, '../../..');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const ONLY = (() => {
  const at = argv.indexOf('--only');
  return at >= 0 ? new Set((argv[at + 1] ?? '').split(',')) : undefined;
})();

interface Job {
  /** Unique; `--only` takes these. */
  readonly id: string;
  /** The folder under test/bench, the report's section. */
  readonly bench: string;
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly minutes: number;
  /** Runs in --quick mode too (every job runs in the full run). */
  readonly quick?: boolean;
}

const LSP_STEPS = QUICK ? [500, 5000] : [500, 5000, 20_000];
const TREE_RUNS = QUICK ? [1000, 10_000] : [1000, 10_000, 100_000];
const DRIFT_ROWS = QUICK ? '100000,1000000' : '100000,1000000,10000000';
const INGEST = QUICK ? ['--points', '1000000', '--runs', '100'] : ['--points', '10000000', '--runs', '1000'];

const JOBS: Job[] = [
  ...LSP_STEPS.map((steps): Job => ({
    id: `lsp-pipeline-${steps}`,
    bench: 'lsp-pipeline',
    script: 'test/bench/lsp-pipeline/run.ts',
    // yaml-language-server: one edit of each kind at 5,000 steps (the standalone run gives it all 33); above, run.ts gives it 6.
    env: { BENCH_STEPS: String(steps), ...(steps === 5000 ? { BENCH_YAMLLS_EDITS: '11' } : {}) },
    minutes: steps >= 20_000 ? 20 : steps >= 5000 ? 12 : 5, // safety nets: a loaded machine is several times slower
    quick: true,
  })),
  { id: 'lsp-workspace', bench: 'lsp-workspace', script: 'test/bench/lsp-workspace/run.ts', minutes: 5 },
  { id: 'tracking', bench: 'tracking', script: 'test/bench/tracking/run.ts', minutes: 8 },
  { id: 'tracking-scale', bench: 'tracking', script: 'test/bench/tracking/tenMillion.ts', args: INGEST, minutes: 20, quick: true },
  { id: 'sqlite-ingest', bench: 'tracking', script: 'test/bench/report/sqliteIngest.ts', args: INGEST, minutes: 15, quick: true },
  {
    id: 'tracking-chaos',
    bench: 'tracking',
    script: 'test/bench/tracking/chaos.ts',
    // The full count (about 1.5 s a kill); --quick runs one kill per target.
    args: [QUICK ? '6' : '200'],
    minutes: 12,
    quick: true,
  },
  { id: 'change-stream', bench: 'changeStream', script: 'test/bench/changeStream/run.ts', minutes: 5 },
  ...TREE_RUNS.map((runs): Job => ({
    id: `trees-${runs}`,
    bench: 'trees',
    script: 'test/bench/trees/run.ts',
    args: runs === 10_000 ? ['--runs', String(runs)] : ['--runs', String(runs), '--first-page-only'],
    minutes: runs >= 100_000 ? 20 : 6,
    quick: true,
  })),
  { id: 'drift', bench: 'drift', script: 'test/bench/drift/run.ts', minutes: 5 },
  { id: 'drift-large', bench: 'drift', script: 'test/bench/drift/large.ts', args: ['--rows', DRIFT_ROWS], minutes: 25, quick: true },
  { id: 'charts-history', bench: 'charts', script: 'test/bench/charts/history.ts', minutes: 3, quick: true },
  { id: 'graph', bench: 'graph', script: 'test/bench/graph/run.ts', minutes: 2, quick: true },
  { id: 'graph-draw', bench: 'graph', script: 'test/bench/graph/draw.ts', minutes: 5 },
  { id: 'features', bench: 'features', script: 'test/bench/features/run.ts', minutes: 5 },
  { id: 'remote', bench: 'remote', script: 'test/bench/remote/run.ts', minutes: 5 },
  { id: 'runner', bench: 'runner', script: 'test/bench/runner/run.ts', args: QUICK ? ['200'] : [], minutes: 8, quick: true },
  { id: 'rest-fuzz', bench: 'rest-fuzz', script: 'test/bench/rest-fuzz/run.ts', args: QUICK ? ['2000'] : [], minutes: 8, quick: true },
  ...(argv.includes('--with-e2e')
    ? [{ id: 'charts-draw', bench: 'charts', script: 'test/bench/charts/draw.ts', minutes: 8, quick: true }]
    : []),
];

function selected(): Job[] {
  return JOBS.filter((j) => existsSync(path.join(ROOT, j.script)) && (ONLY ? ONLY.has(j.id) : QUICK ? j.quick : true));
}

function runJob(job: Job): Promise<JobResult> {
  const started = performance.now();
  const command = `${Object.entries(job.env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join('')}npx tsx ${job.script}${job.args?.length ? ' ' + job.args.join(' ') : ''}`;
  console.log(`\n=== ${job.id}: ${command}`);
  return new Promise((resolve) => {
    // A process group of its own, so that a timeout also ends the servers it started.
    const child = spawn(process.execPath, ['--import', 'tsx', job.script, ...(job.args ?? [])], {
      cwd: ROOT,
      env: { ...process.env, ...job.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, job.minutes * 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      // The first line of an error names it; the last is often the end of a stack.
      const error =
        stderr
          .trim()
          .split('\n')
          .find((l) => /error/i.test(l)) ??
        stderr.trim().split('\n').at(-1) ??
        '';
      const status = timedOut
        ? `timed out after ${job.minutes} min`
        : code === 0
          ? 'ok'
          : signal
            ? `ended by ${signal}`
            : `exit ${code}: ${error.trim()}`;
      console.log(`=== ${job.id}: ${status} in ${seconds.toFixed(0)} s`);
      resolve({ job, command, when: new Date().toISOString(), seconds, status, stdout, output: parseOutput(stdout) });
    });
  });
}

function machine(): [string, string][] {
  const cpus = os.cpus();
  let distro = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty) distro = `${pretty[1]} (${os.type()} ${os.release()})`;
  } catch {
    // not Linux
  }
  const python = spawnSync('/usr/bin/python3', ['-c', 'import scipy, numpy; print(scipy.__version__, numpy.__version__)'], {
    encoding: 'utf8',
  });
  return [
    ['CPU', `${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`],
    ['memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['OS', distro],
    ['Node', process.version],
    ['scipy / numpy (anchors)', python.status === 0 ? python.stdout.trim().replace(' ', ' / ') : 'not installed'],
  ];
}

function sectionOf(results: JobResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(
      `### ${r.job.id}`,
      '',
      `\`${r.command}\` — ${r.status}, ${r.seconds.toFixed(0)} s, ${r.when.slice(0, 16).replace('T', ' ')} UTC`,
      '',
    );
    for (const t of r.output.tables) out.push(t.join('\n'), '');
    if (r.output.pairs.length) out.push(markdownTable(['figure', 'value'], r.output.pairs), '');
    if (!r.output.tables.length && !r.output.pairs.length) {
      const figures = r.output.json.flatMap((j) => Object.entries(j).map(([k, v]) => [k, JSON.stringify(v)]));
      out.push(figures.length ? markdownTable(['figure', 'value'], figures) : '(no figures printed)', '');
    }
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const started = new Date();
  const load0 = os.loadavg();
  if (!argv.includes('--no-build')) {
    console.log('npm run build');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed: the benchmarks need the bundles');
  }
  const fresh: JobResult[] = [];
  for (const job of selected()) fresh.push(await runJob(job));
  const load1 = os.loadavg();
  const docs = path.join(ROOT, 'docs');
  mkdirSync(path.join(docs, 'benchmarks'), { recursive: true });
  // What every job printed, kept so that `--only` reruns some jobs and keeps the others' figures.
  const saved = path.join(docs, 'benchmarks', 'results.json');
  const earlier: JobResult[] = ONLY && existsSync(saved) ? (JSON.parse(readFileSync(saved, 'utf8')) as JobResult[]) : [];
  const order = (r: JobResult) => JOBS.findIndex((j) => j.id === r.job.id);
  const results = [...earlier.filter((r) => !fresh.some((f) => f.job.id === r.job.id)), ...fresh].sort((a, b) => order(a) - order(b));
  writeFileSync(saved, JSON.stringify(results, null, 1) + '\n');
  const charts = buildCharts(results);
  for (const c of charts) writeFileSync(path.join(docs, 'benchmarks', c.file), c.svg);
  const minutes = (Date.now() - started.getTime()) / 60_000;
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  const benches = [...new Set(results.map((r) => r.job.bench))];
  const md = [
    '# Benchmark report',
    '',
    `Written by \`npm run bench${QUICK ? ' -- --quick' : ''}\` (test/bench/report/run.ts); do not edit by hand.`,
    `${ONLY ? 'Some jobs rerun.' : QUICK ? 'Quick run: the smaller sizes only.' : 'Full run: every size.'} Started ${started.toISOString().replace('T', ' ').slice(0, 16)} UTC, took ${minutes.toFixed(1)} min${ONLY ? ` (only ${[...ONLY].join(', ')}; the other jobs' figures are from the run each names)` : ''}.`,
    'Every benchmark also runs on its own (`npx tsx test/bench/<name>/run.ts`, see docs/testing.md); each prints its figures beside its anchor and asserts nothing.',
    '',
    '## Machine',
    '',
    markdownTable(
      ['machine', ''],
      [...machine(), ['load average (1, 5, 15 min)', `${load(load0)} at the start, ${load(load1)} at the end`]],
    ),
    '',
    'Timings on a shared machine move with its load: compare figures of the same run (ours against the anchor), not across runs.',
    '',
    '## How cost grows',
    '',
    ...charts.flatMap((c) => [`### ${c.title}`, '', c.caption, '', `![${c.title}](benchmarks/${c.file})`, '']),
    '## Figures, by benchmark',
    '',
    ...benches.flatMap((b) => [`## ${b}`, '', sectionOf(results.filter((r) => r.job.bench === b))]),
  ].join('\n');
  writeFileSync(path.join(docs, 'benchmarks.md'), md.replace(/\n{3,}/g, '\n\n'));
  console.log(`\nwrote docs/benchmarks.md and ${charts.length} charts in docs/benchmarks/ (${minutes.toFixed(1)} min)`);
  const failed = results.filter((r) => r.status !== 'ok');
  if (failed.length) console.log(`not ok: ${failed.map((r) => `${r.job.id} (${r.status})`).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

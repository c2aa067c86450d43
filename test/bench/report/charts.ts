/**
 * The charts of docs/benchmarks.md: how each cost grows with the work, ours beside the anchor
 * measured in the same run, from what the benchmarks printed. A chart whose benchmark did not
 * run (or printed nothing usable) is left out.
 */
import { numberIn, numberRows, tableRow, type BenchOutput } from './parse';
import { lineChart, type Series } from './svgChart';

export interface JobResult {
  readonly job: { readonly id: string; readonly bench: string; readonly env?: Readonly<Record<string, string>> };
  readonly command: string;
  /** When it finished (ISO). */
  readonly when: string;
  readonly seconds: number;
  readonly status: string;
  readonly stdout: string;
  readonly output: BenchOutput;
}

export interface Chart {
  readonly file: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
}

type Point = [number, number];

const hasPoints = (series: Series[]) => series.some((s) => s.points.length > 0);

function lspChart(results: JobResult[]): Chart | undefined {
  const runs = results.filter((r) => r.job.id.startsWith('lsp-pipeline-') && r.job.env?.BENCH_STEPS);
  const ours: Point[] = [];
  const theirs: Point[] = [];
  const oursFirst: Point[] = [];
  const theirsFirst: Point[] = [];
  for (const r of runs) {
    const steps = Number(r.job.env!.BENCH_STEPS);
    const edit = tableRow(r.output, 'validation after an edit, median');
    const first = tableRow(r.output, 'first validation after didOpen');
    // Columns: ours, yaml-ls raw, yaml-ls adjusted (its debounce taken out), ratio.
    if (edit) {
      ours.push([steps, numberIn(edit[0])]);
      theirs.push([steps, numberIn(edit[2])]);
    }
    if (first) {
      oursFirst.push([steps, numberIn(first[0])]);
      theirsFirst.push([steps, numberIn(first[2])]);
    }
  }
  const series: Series[] = [
    { name: 'ours, edit (median)', points: ours },
    { name: 'yaml-ls, edit (median)', points: theirs },
    { name: 'ours, first validation', points: oursFirst },
    { name: 'yaml-ls, first', points: theirsFirst },
  ];
  if (!hasPoints(series)) return undefined;
  return {
    file: 'lsp-pipeline.svg',
    title: 'Language server: validation time against pipeline steps',
    caption:
      'test/bench/lsp-pipeline at BENCH_STEPS steps (a step is about 10.6 lines): the median validation after an edit over the edit mix, and the first validation after opening; yaml-language-server with its fixed debounce taken out.',
    svg: lineChart({ title: 'Validation time against pipeline size', xLabel: 'steps', yLabel: 'ms', logX: true, logY: true, series }),
  };
}

function ingestChart(results: JobResult[]): Chart | undefined {
  const store = results.find((r) => r.job.id === 'tracking-scale');
  const sqlite = results.find((r) => r.job.id === 'sqlite-ingest')?.output.json.find((j) => j.bench === 'sqlite-ingest');
  const ours = store ? numberRows(store.stdout, /points so far/) : [];
  const anchor: Point[] = sqlite ? (sqlite.points as number[]).map((p, i) => [p, (sqlite.rates as number[])[i]!]) : [];
  const series: Series[] = [
    { name: 'the store (worker, sql.js)', points: ours },
    { name: "better-sqlite3, MLflow's schema", points: anchor },
  ];
  if (!hasPoints(series)) return undefined;
  return {
    file: 'ingest.svg',
    title: 'Tracking store: ingest rate against store size',
    caption:
      "test/bench/tracking/tenMillion.ts (the store in its worker thread, 1,000 points per logBatch, one call in flight) and test/bench/report/sqliteIngest.ts (the same rows into MLflow's SQL schema in better-sqlite3, a transaction per batch); each point is the rate over the last tenth of the work.",
    svg: lineChart({ title: 'Ingest rate as the store grows', xLabel: 'metric points in the store', yLabel: 'points/s', series }),
  };
}

function treesChart(results: JobResult[]): Chart | undefined {
  const points: Point[] = [];
  for (const r of results.filter((x) => x.job.bench === 'trees'))
    for (const j of r.output.json) if (j.bench === 'trees') points.push([Number(j.runs), Number(j.firstPageMedianMs)]);
  const series: Series[] = [{ name: 'Experiments view, first page (median of 5)', points }];
  if (!hasPoints(series)) return undefined;
  return {
    file: 'trees.svg',
    title: 'Experiments view: first page against runs',
    caption:
      'test/bench/trees --runs N: expanding an experiment of N runs, the first page (100 runs and Load more) over the store in its worker thread. No anchor: MLflow has no such view.',
    svg: lineChart({ title: 'First page of an experiment', xLabel: 'runs in the experiment', yLabel: 'ms', logX: true, series }),
  };
}

function driftChart(results: JobResult[]): Chart | undefined {
  const rows = results.filter((r) => r.job.id === 'drift-large').flatMap((r) => r.output.json.filter((j) => j.bench === 'drift-large'));
  const of = (key: string): Point[] => rows.filter((j) => typeof j[key] === 'number').map((j) => [Number(j.rows), Number(j[key])]);
  const series: Series[] = [
    { name: 'ours (mlops drift, ks)', points: of('oursS') },
    { name: 'pandas.read_csv + scipy', points: of('pandasS') },
    { name: 'np.loadtxt + scipy', points: of('loadtxtS') },
  ];
  if (!hasPoints(series)) return undefined;
  return {
    file: 'drift.svg',
    title: 'Drift: KS on 10 numeric columns against rows',
    caption:
      'test/bench/drift/large.ts: a reference and a current CSV of N rows x 10 numeric columns, KS on every column; ours streams both files and holds one column at a time. scipy ks_2samp after np.loadtxt, and after pandas.read_csv.',
    svg: lineChart({ title: 'Drift check time against rows', xLabel: 'rows per file', yLabel: 's', logX: true, logY: true, series }),
  };
}

export function buildCharts(results: JobResult[]): Chart[] {
  return [lspChart(results), ingestChart(results), treesChart(results), driftChart(results)].filter((c): c is Chart => c !== undefined);
}

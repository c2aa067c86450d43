import type { KeySpec } from '../yaml/keyTable';
import { STAGES } from '../pipeline/schema';

/** Where a map sits in a monitor file. */
export type MonitorContext = 'top' | 'data_drift' | 'performance' | 'on_drift';

/** The drift methods of docs/formats.md (section Monitor files). */
export const DRIFT_METHODS = ['auto', 'ks', 'chi2', 'z', 'psi', 'jensen_shannon', 'wasserstein'] as const;

export const METHOD_DOCS: Readonly<Record<(typeof DRIFT_METHODS)[number], string>> = {
  auto: "Evidently's choice per column: by the reference size, the column's type and its number of unique values.",
  ks: 'Two-sample Kolmogorov-Smirnov test (numeric columns); drift when p < threshold.',
  chi2: 'Chi-square test of the category frequencies (categorical columns); drift when p < threshold.',
  z: 'Z-test of two proportions (binary columns); drift when p < threshold.',
  psi: 'Population Stability Index; drift when PSI ≥ threshold.',
  jensen_shannon: 'Jensen-Shannon distance; drift when ≥ threshold (0.1 in `auto`).',
  wasserstein: 'Normed Wasserstein distance (numeric columns); drift when ≥ threshold (0.1 in `auto`).',
};

const TOP: readonly KeySpec[] = [
  { key: 'monitor', shape: 'string', required: true, snippet: ' ${1:my-monitor}', doc: "The monitor's name, shown in the Monitors view." },
  { key: 'description', shape: 'string', snippet: ' ${1}', doc: 'What the monitor watches.' },
  { key: 'model', shape: 'string', snippet: ' ${1}', doc: 'The registered model whose version is watched (optional).' },
  {
    key: 'stage',
    shape: 'string',
    values: STAGES,
    snippet: ' ${1|Production,Staging|}',
    doc: 'The stage of `model` whose version is watched: `None`, `Staging`, `Production` or `Archived`. Or give `alias`.',
  },
  { key: 'alias', shape: 'string', snippet: ' ${1:champion}', doc: 'The alias of `model` whose version is watched, instead of `stage`.' },
  {
    key: 'reference',
    shape: 'string',
    snippet: ' ${1:data/train.csv}',
    doc: 'The baseline data: a CSV or Parquet file, relative to this monitor file.',
  },
  {
    key: 'current',
    shape: 'string',
    snippet: ' ${1:data/incoming/*.csv}',
    doc: 'The data to compare: a path or a glob; all matches are concatenated.',
  },
  {
    key: 'columns',
    shape: 'list',
    snippet: ' [${1}]',
    doc: 'The columns compared. Default: every column both files share that `ignore` does not name.',
  },
  { key: 'ignore', shape: 'list', snippet: ' [${1}]', doc: 'Columns never compared (ids, timestamps).' },
  {
    key: 'data_drift',
    shape: 'map',
    snippet: '\n  method: ${1|auto,ks,chi2,z,psi,jensen_shannon,wasserstein|}\n  threshold: ${2:0.05}',
    doc: 'How drift is measured: `method`, `threshold`, `dataset_drift_share`.',
  },
  {
    key: 'performance',
    shape: 'map',
    snippet: '\n  metrics: [${1:accuracy}]\n  alert_threshold: ${2:0.05}',
    doc: "Live performance against the watched version's metrics.",
  },
  {
    key: 'schedule',
    shape: 'duration',
    zero: true,
    snippet: ' ${1:1h}',
    doc: 'How often the check runs while the editor is open (it also runs when `current` changes): `30m`, `1h`, `1d`.',
  },
  {
    key: 'on_drift',
    shape: 'map',
    snippet: '\n  notify: ${1|true,false|}\n  run_pipeline: ${2}',
    doc: 'What happens on drift: a notification, and a retraining pipeline run with `params`.',
  },
];

const DATA_DRIFT: readonly KeySpec[] = [
  {
    key: 'method',
    shape: 'custom',
    snippet: ' ${1|auto,ks,chi2,z,psi,jensen_shannon,wasserstein|}',
    doc: "The drift test: `auto` (Evidently's choice per column), `ks`, `chi2`, `z`, `psi`, `jensen_shannon` or `wasserstein`.",
  },
  {
    key: 'threshold',
    shape: 'number',
    minimum: 0,
    snippet: ' ${1:0.05}',
    doc: 'A column drifts when its p-value is below it (tests) or its distance reaches it (distances).',
  },
  {
    key: 'dataset_drift_share',
    shape: 'fraction',
    snippet: ' ${1:0.5}',
    doc: 'The data set drifts when at least this share of the columns drift (0 to 1).',
  },
];

const PERFORMANCE: readonly KeySpec[] = [
  { key: 'metrics', shape: 'list', snippet: ' [${1:accuracy}]', doc: "The metrics compared with the watched version's logged metrics." },
  {
    key: 'alert_threshold',
    shape: 'number',
    minimum: 0,
    snippet: ' ${1:0.05}',
    doc: 'Alert when a metric moves by more than this (absolute change).',
  },
  {
    key: 'current_metrics',
    shape: 'string',
    snippet: ' ${1:reports/live_metrics.json}',
    doc: 'A JSON file of name → number with the live metrics, relative to this monitor file. Or give `current_run`.',
  },
  {
    key: 'current_run',
    shape: 'string',
    snippet: ' ${1:run-id}',
    doc: 'A tracked run whose latest metrics are the live metrics, instead of `current_metrics`.',
  },
  {
    key: 'baseline_run',
    shape: 'string',
    snippet: ' ${1:run-id}',
    doc: "A tracked run whose metrics are the baseline, instead of the metrics of the watched model version's run.",
  },
];

const ON_DRIFT: readonly KeySpec[] = [
  {
    key: 'notify',
    shape: 'bool',
    values: ['true', 'false'],
    snippet: ' ${1|true,false|}',
    doc: 'Show a notification when drift is found.',
  },
  {
    key: 'run_pipeline',
    shape: 'ref',
    snippet: ' ${1}',
    doc: 'A pipeline file to run on drift (retraining), relative to this monitor file.',
  },
  { key: 'params', shape: 'map', snippet: ' { ${1} }', doc: "Params for that pipeline run, by the pipeline's param names." },
];

export const MONITOR_KEYS: Readonly<Record<MonitorContext, readonly KeySpec[]>> = {
  top: TOP,
  data_drift: DATA_DRIFT,
  performance: PERFORMANCE,
  on_drift: ON_DRIFT,
};

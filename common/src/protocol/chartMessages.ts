import type { RunStyle } from '../charts/runColors';

// Messages of the metrics and compare panels (issue 8). Each page sends `initialized` once it
// listens; only then does its host send data. Every string in them comes from the tracking store
// and the pages show it as text only.

/** The x axis of the metrics charts: the step, the wall time of each point, or seconds since the run started. */
export type XAxis = 'step' | 'time' | 'relative';

/** A run as both panels show it. */
export interface ChartRun {
  runId: string;
  name: string;
  status: string;
  /** Epoch ms; relative time counts from here. */
  startTime: number;
  style: RunStyle;
}

/** A run of the metrics panel: its latest value of each metric key (the summary above the charts). */
export interface MetricsRun extends ChartRun {
  /** Latest value by key; NaN and infinities as MLflow spells them ('NaN', 'Infinity', '-Infinity'). */
  latest: Record<string, number | string>;
}

/** Points of one run's metric as the store gives them (parallel columns, step then time order). */
export interface SeriesColumns {
  steps: number[];
  timestamps: number[];
  values: number[];
}

export interface SeriesItem {
  runId: string;
  key: string;
  points: SeriesColumns;
  /** Points the range holds in the store (more than `points` carries when downsampled). */
  total: number;
  downsampled: boolean;
  /** The tracking server picked the steps (MLflow's get-history-bulk-interval); `total` is what it sent. */
  sampledBy?: 'server';
}

/** What the metrics page keeps with getState/setState and its serializer restores after a reload. */
export interface MetricsViewState {
  runIds: string[];
  /** The chart to scroll to (a metric row of the tree opens the panel on it). */
  focusKey?: string;
  xAxis: XAxis;
  /** Exponential moving average weight, 0 (off) to 0.99, as TensorBoard's slider. */
  smoothing: number;
  logScale: boolean;
  /** The metric-key filter (the box above the charts): whitespace-separated terms, all of which a shown key contains. */
  keyFilter?: string;
}

/** A zoomed range of the x axis, in the axis' own unit (steps, epoch ms, or seconds since start). */
export interface XRange {
  min: number;
  max: number;
}

export type MetricsHostMessage =
  /** Host -> page: the runs and the metric keys any of them logged; the page builds one chart per key. */
  | { type: 'runs'; payload: { runs: MetricsRun[]; keys: string[]; state: MetricsViewState } }
  /** Host -> page: series replacing what a chart shows (whole history, or the range asked for by `query`). */
  | { type: 'series'; payload: { requestId: number; xAxis: XAxis; items: SeriesItem[] } }
  /** Host -> page: points logged since the last ones sent (runs still RUNNING); appended to the charts. */
  | { type: 'append'; payload: { items: SeriesItem[]; runs: MetricsRun[] } }
  /** Host -> page: something went wrong (store closed, run gone). */
  | { type: 'problem'; payload: { message: string } };

export type MetricsViewMessage =
  /** Page -> host: the page is ready for data. */
  | { type: 'initialized' }
  /** Page -> host: the view state changed (axis, smoothing, log scale); the host keeps it for the serializer. */
  | { type: 'state'; payload: MetricsViewState }
  /**
   * Page -> host: series of `key` for every run, on `xAxis`, over `range` (a zoom or pan) or the whole
   * history (no range). Answered by `series` with the same requestId.
   */
  | { type: 'query'; payload: { requestId: number; key: string; xAxis: XAxis; range?: XRange } }
  /** Page -> host: save the chart of `key` as a PNG (a `data:image/png;base64,` URL of the canvas). */
  | { type: 'exportPng'; payload: { key: string; dataUrl: string } }
  /** Page -> host: save the full history of `key` for every run as CSV. */
  | { type: 'exportCsv'; payload: { key: string } }
  /** Page -> host: how long the last full draw took and what it drew (logged; read by the benchmark). */
  | { type: 'drawn'; payload: { ms: number; charts: { key: string; datasets: string[]; points: number }[] } };

/** One run of the compare panel: its params and latest metrics. */
export interface CompareRun extends ChartRun {
  params: Record<string, string>;
  /** Latest values; NaN and infinities as MLflow spells them ('NaN', 'Infinity', '-Infinity'). */
  metrics: Record<string, number | string>;
}

/** What the compare page keeps with getState/setState. */
export interface CompareViewState {
  runIds: string[];
  sort?: { column: string; descending: boolean };
  /** The scatter's axes: a metric key (y) against a param key (x). */
  scatter?: { metric: string; param: string };
}

export type CompareHostMessage =
  /** Host -> page: the runs side by side (sent again when one of them changes). */
  { type: 'compare'; payload: { runs: CompareRun[]; state: CompareViewState } } | { type: 'problem'; payload: { message: string } };

export type CompareViewMessage =
  | { type: 'initialized' }
  /** Page -> host: the sort or the scatter's axes changed. */
  | { type: 'state'; payload: CompareViewState }
  /** Page -> host: open the metrics charts of these runs. */
  | { type: 'showMetrics'; payload: { runIds: string[] } }
  /** Page -> host: reveal a run in the Experiments view. */
  | { type: 'revealRun'; payload: { runId: string } };

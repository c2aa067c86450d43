import { errorMessage } from '../../../../common/src/errors';
import type {
  ChartRun,
  MetricsHostMessage,
  MetricsRun,
  MetricsViewMessage,
  MetricsViewState,
  SeriesItem,
  XAxis,
  XRange,
} from '../../../../common/src/protocol/chartMessages';
import type { Run, StoreChange, TrackingApi } from '../tracking/repository';
import { loadRuns, metricsRun, throttle, withPanelStyles } from './chartRuns';
import { metricsCsv } from './metricsCsv';

/** What the metrics panel's handler needs from its surroundings (the vscode adapter, or a test). */
export interface MetricsPanelDeps {
  /** The open store, or undefined while it is closed. */
  api(): Promise<TrackingApi | undefined>;
  post(message: MetricsHostMessage): void;
  /** Asks where to save and writes the file; resolves once written or cancelled. */
  save(file: { defaultName: string; kind: 'png' | 'csv'; data: Uint8Array | string }): Promise<void>;
  log(message: string): void;
  /** The view state changed (the adapter updates the panel title). */
  onState?(state: MetricsViewState): void;
}

/** How often at most a live chart receives appended points. */
export const APPEND_INTERVAL_MS = 250;

const CSV_PAGE = 25_000;

/**
 * The metrics panel's one message handler: it answers the page's messages and pushes points that
 * running runs log. No vscode here (the panel adapter wires it to a WebviewPanel).
 */
export class MetricsPanelHandler {
  private ready = false;
  private runs: MetricsRun[] = [];
  private keys = new Set<string>();
  /** Per run and key, the last (step, timestamp) sent: live appends ask for points after it. */
  private readonly cursors = new Map<string, { step: number; timestamp: number }>();
  private readonly changedRuns = new Set<string>();
  private readonly appender = throttle(() => this.appendChanged(), APPEND_INTERVAL_MS);

  constructor(
    private readonly deps: MetricsPanelDeps,
    private state: MetricsViewState,
  ) {}

  get viewState(): MetricsViewState {
    return this.state;
  }

  /** Opens other runs (or focuses another key) in this panel. */
  async show(runIds: string[], focusKey?: string): Promise<void> {
    const { focusKey: _previous, ...rest } = this.state;
    this.state = { ...rest, runIds, ...(focusKey ? { focusKey } : {}) };
    this.deps.onState?.(this.state);
    if (this.ready) await this.load();
  }

  async handle(message: MetricsViewMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'initialized':
          this.ready = true;
          await this.load();
          break;
        case 'state':
          this.state = message.payload;
          this.deps.onState?.(this.state);
          break;
        case 'query':
          await this.query(message.payload.requestId, message.payload.key, message.payload.xAxis, message.payload.range);
          break;
        case 'exportPng':
          await this.exportPng(message.payload.key, message.payload.dataUrl);
          break;
        case 'exportCsv':
          await this.exportCsv(message.payload.key);
          break;
        case 'drawn':
          this.deps.log(
            `metrics panel drew ${message.payload.charts.length} charts (${message.payload.charts.reduce((n, c) => n + c.points, 0)} points) in ${message.payload.ms.toFixed(0)} ms`,
          );
          break;
      }
    } catch (error) {
      this.problem(error);
    }
  }

  /** A batch of store changes: metric writes of shown runs are appended (throttled); status changes are passed on. */
  onStoreChange(batch: readonly StoreChange[]): void {
    if (!this.ready) return;
    for (const change of batch) {
      if (change.kind !== 'metric' && change.kind !== 'run') continue;
      // One change names every run of its kind written in the same turn; none: all of them (a reset of the change stream).
      for (const id of change.ids.length > 0 ? change.ids : this.state.runIds) if (this.state.runIds.includes(id)) this.changedRuns.add(id);
    }
    if (this.changedRuns.size > 0) this.appender.schedule();
  }

  dispose(): void {
    this.appender.dispose();
  }

  private async load(): Promise<void> {
    const api = await this.requireApi();
    if (!api) return;
    const { runs, missing } = await loadRuns(api, this.state.runIds);
    if (missing.length) this.deps.log(`metrics panel: runs no longer in the store: ${missing.join(', ')}`);
    this.runs = withPanelStyles(runs.map(metricsRun));
    this.keys = new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)));
    this.cursors.clear();
    for (const run of runs) this.recordCursors(run);
    const keys = [...this.keys].sort();
    this.deps.post({ type: 'runs', payload: { runs: this.runs, keys, state: this.state } });
    for (const key of keys) await this.query(0, key, this.state.xAxis);
  }

  private recordCursors(run: Run): void {
    for (const m of run.data.metrics) this.cursors.set(`${run.info.run_id}\u0000${m.key}`, { step: m.step, timestamp: m.timestamp });
  }

  /** Every run's series of `key` over `range` (whole history without one): at most 2,000 points each. */
  private async query(requestId: number, key: string, xAxis: XAxis, range?: XRange): Promise<void> {
    const api = await this.requireApi();
    if (!api) return;
    const items: SeriesItem[] = [];
    for (const run of this.runs) {
      const bounds = range ? storeRange(xAxis, range, run) : {};
      const series = await api.getMetricSeries({
        run_id: run.runId,
        metric_key: key,
        x_axis: xAxis === 'step' ? 'step' : 'time',
        ...bounds,
      });
      items.push({
        runId: run.runId,
        key,
        points: { steps: series.steps, timestamps: series.timestamps, values: series.values },
        total: series.total,
        downsampled: series.downsampled,
        ...(series.sampledBy ? { sampledBy: series.sampledBy } : {}),
      });
    }
    this.deps.post({ type: 'series', payload: { requestId, xAxis, items } });
  }

  private async appendChanged(): Promise<void> {
    const api = await this.deps.api();
    if (!api || !this.ready) return;
    const runIds = [...this.changedRuns];
    this.changedRuns.clear();
    const { runs } = await loadRuns(api, runIds);
    const items: SeriesItem[] = [];
    for (const run of runs) {
      for (const latest of run.data.metrics) {
        const id = `${run.info.run_id}\u0000${latest.key}`;
        const cursor = this.cursors.get(id);
        if (cursor && cursor.step === latest.step && cursor.timestamp === latest.timestamp) continue;
        const series = await api.getMetricSeries({
          run_id: run.info.run_id,
          metric_key: latest.key,
          x_axis: this.state.xAxis === 'step' ? 'step' : 'time',
          ...(cursor ? { after_step: cursor.step, after_timestamp: cursor.timestamp } : {}),
        });
        this.cursors.set(id, { step: latest.step, timestamp: latest.timestamp });
        this.keys.add(latest.key);
        if (series.steps.length > 0)
          items.push({
            runId: run.info.run_id,
            key: latest.key,
            points: { steps: series.steps, timestamps: series.timestamps, values: series.values },
            total: series.total,
            downsampled: series.downsampled,
          });
      }
      const index = this.runs.findIndex((r) => r.runId === run.info.run_id);
      if (index >= 0) this.runs[index] = { ...metricsRun(run), style: this.runs[index]!.style };
    }
    this.deps.post({ type: 'append', payload: { items, runs: this.runs } });
  }

  private async exportPng(key: string, dataUrl: string): Promise<void> {
    const prefix = 'data:image/png;base64,';
    if (!dataUrl.startsWith(prefix)) throw new Error('the chart image is not a PNG');
    await this.deps.save({
      defaultName: `${fileSafe(key)}.png`,
      kind: 'png',
      data: Uint8Array.from(Buffer.from(dataUrl.slice(prefix.length), 'base64')),
    });
  }

  private async exportCsv(key: string): Promise<void> {
    const api = await this.requireApi();
    if (!api) return;
    const histories = [];
    for (const run of this.runs) {
      const metrics = [];
      let pageToken: string | undefined;
      do {
        const page = await api.getMetricHistory({
          run_id: run.runId,
          metric_key: key,
          max_results: CSV_PAGE,
          ...(pageToken ? { page_token: pageToken } : {}),
        });
        metrics.push(...page.metrics);
        pageToken = page.next_page_token;
      } while (pageToken);
      histories.push({ runId: run.runId, runName: run.name, metrics });
    }
    await this.deps.save({ defaultName: `${fileSafe(key)}.csv`, kind: 'csv', data: metricsCsv(key, histories) });
  }

  private async requireApi(): Promise<TrackingApi | undefined> {
    const api = await this.deps.api();
    if (!api) this.deps.post({ type: 'problem', payload: { message: 'The tracking store is not open.' } });
    return api;
  }

  private problem(error: unknown): void {
    const message = errorMessage(error);
    this.deps.log(`metrics panel: ${message}`);
    this.deps.post({ type: 'problem', payload: { message } });
  }
}

/** A page range in the store's terms: steps as they are, wall time as epoch ms, relative seconds from the run's start. */
export function storeRange(xAxis: XAxis, range: XRange, run: Pick<ChartRun, 'startTime'>): { min_x: number; max_x: number } {
  if (xAxis === 'relative') return { min_x: run.startTime + range.min * 1000, max_x: run.startTime + range.max * 1000 };
  return { min_x: range.min, max_x: range.max };
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'metric';
}

// One chart of the metrics page: one metric key, a line per run; a bar per run (its value written
// on it) when every run logged a single value; the points drawn when a series has few
// (chartShape.ts decides).
import type { RunStyle } from '../../../common/src/charts/runColors';
import type { ChartRun, SeriesColumns, SeriesItem, XAxis, XRange } from '../../../common/src/protocol/chartMessages';
import { Chart, formatNumber, formatSeconds, formatTime, mergeOptions, runLine, themeOptions } from '../shared/charts';
import { button, el } from '../shared/dom';
import { emaSmooth } from '../shared/smoothing';
import { withAlpha, type ThemeColors } from '../shared/theme';
import { valueLabels } from '../shared/valueLabels';
import { chartKind, formatValue, pointRadius, type ChartKind } from './chartShape';

export interface ChartView {
  runs: ChartRun[];
  xAxis: XAxis;
  smoothing: number;
  logScale: boolean;
  colors: ThemeColors;
}

export interface MetricChartActions {
  /** The user zoomed or panned to `range`, or reset the zoom (no range). */
  onRange(key: string, range: XRange | undefined): void;
  exportPng(key: string, dataUrl: string): void;
  exportCsv(key: string): void;
}

type LineDataset = { label: string; data: { x: number; y: number }[]; mlopsRaw?: boolean } & Record<string, unknown>;

const ZOOM_QUERY_DELAY_MS = 200;

export class MetricChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart | undefined;
  /** How the chart draws now; a change (a single-value metric gets a second point) makes a new chart. */
  private kind: ChartKind = 'line';
  /** The bars' values as written on them (the value-label plugin reads it). */
  private barLabels: string[] = [];
  private labelColors = { color: '', font: '' };
  private readonly series = new Map<string, SeriesColumns>();
  private readonly info: HTMLElement;
  /** Bars have no zoom: their Reset zoom button is hidden. */
  private readonly resetButton: HTMLButtonElement;
  private zoomTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the current data is for a zoomed range (a reset asks for the whole history again). */
  private zoomed = false;
  lastRequest = 0;
  /** What the last render drew. */
  drawn: { datasets: string[]; points: number } = { datasets: [], points: 0 };

  constructor(
    readonly key: string,
    private readonly actions: MetricChartActions,
  ) {
    this.element = el('section', 'chart-card');
    this.element.dataset['key'] = key;
    const header = el('header');
    this.info = el('span', 'info');
    this.resetButton = button('Reset zoom', () => this.resetZoom(), 'Show the whole history (double-click the chart does the same)');
    header.append(
      el('h2', undefined, key),
      this.info,
      this.resetButton,
      button('PNG', () => this.chart && actions.exportPng(key, this.chart.toBase64Image('image/png', 1)), 'Save this chart as a PNG image'),
      button('CSV', () => actions.exportCsv(key), 'Save the full history of this metric for every run as CSV'),
    );
    this.canvas = el('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', `Chart of ${key}`);
    this.canvas.addEventListener('dblclick', () => this.resetZoom());
    const holder = el('div', 'canvas-holder');
    holder.append(this.canvas);
    this.element.append(header, holder);
  }

  get hasData(): boolean {
    return this.series.size > 0;
  }

  /** Replaces the series of the runs in `items`. */
  setSeries(items: readonly SeriesItem[]): void {
    for (const item of items) this.series.set(item.runId, item.points);
    const down = items.filter((i) => i.downsampled);
    this.info.textContent = down.length
      ? `downsampled: ${down
          .map((i) =>
            i.sampledBy === 'server' ? `${i.points.steps.length} sampled by the tracking server` : `${i.points.steps.length} of ${i.total}`,
          )
          .join(', ')} points`
      : '';
  }

  /** Adds points logged since the last ones (live runs). */
  append(item: SeriesItem): void {
    const current = this.series.get(item.runId);
    if (!current) {
      this.series.set(item.runId, item.points);
      return;
    }
    current.steps.push(...item.points.steps);
    current.timestamps.push(...item.points.timestamps);
    current.values.push(...item.points.values);
  }

  /** Draws the chart for `view`; returns the labels of the runs' lines (or bars) and how many points were drawn. */
  render(view: ChartView): { datasets: string[]; points: number } {
    // A zoomed range keeps the kind it was zoomed in (a range holding one point per run is still a line).
    const kind = this.zoomed ? this.kind : chartKind(view.runs.map((r) => this.series.get(r.runId)?.values.length ?? 0));
    if (this.chart && kind !== this.kind) {
      this.chart.destroy();
      this.chart = undefined;
    }
    this.kind = kind;
    this.element.dataset['kind'] = kind;
    this.resetButton.hidden = kind === 'bar';
    this.labelColors = { color: view.colors.foreground, font: `11px ${view.colors.font}` };
    return kind === 'bar' ? this.renderBars(view) : this.renderLines(view);
  }

  /** A bar per run that logged the metric, its latest value written above it. */
  private renderBars(view: ChartView): { datasets: string[]; points: number } {
    const shown = view.runs.filter((r) => (this.series.get(r.runId)?.values.length ?? 0) > 0);
    const labels = shown.map((r) => r.name);
    const values = shown.map((r) => this.series.get(r.runId)!.values.at(-1)!);
    this.barLabels = values.map(formatValue);
    const colors = shown.map((r) => runLine(r.style, view.colors).borderColor);
    const dataset = {
      label: this.key,
      data: values,
      backgroundColor: shown.map((r, i) => barFill(r.style, colors[i]!)),
      borderColor: colors,
      borderWidth: 1.5,
      maxBarThickness: 64,
    };
    this.canvas.dataset['datasets'] = JSON.stringify(labels);
    this.canvas.dataset['chart'] = JSON.stringify({ type: 'bar', labels, values, valueLabels: this.barLabels });
    this.drawn = { datasets: labels, points: values.length };
    if (!this.chart) this.chart = this.createBars(view, labels, dataset);
    else {
      this.chart.data.labels = labels;
      this.chart.data.datasets = [dataset] as never;
      const y = (this.chart.options as { scales: { y: { type: string; beginAtZero: boolean } } }).scales.y;
      y.type = view.logScale ? 'logarithmic' : 'linear';
      y.beginAtZero = !view.logScale;
      this.chart.update('none');
    }
    return { datasets: labels, points: values.length };
  }

  private renderLines(view: ChartView): { datasets: string[]; points: number } {
    const datasets: LineDataset[] = [];
    let points = 0;
    for (const run of view.runs) {
      const columns = this.series.get(run.runId);
      if (!columns) continue;
      const xs = xValues(columns, view.xAxis, run);
      const line = runLine(run.style, view.colors);
      const smoothed = emaSmooth(columns.values, view.smoothing);
      points += xs.length;
      datasets.push({
        label: run.name,
        data: xs.map((x, i) => ({ x, y: smoothed[i]! })),
        ...line,
        borderWidth: 1.5,
        // A series of few points shows them: a lone point is a dot, never an empty grid.
        pointRadius: pointRadius(xs.length),
        pointHoverRadius: Math.max(3, pointRadius(xs.length) + 1),
      });
      if (view.smoothing > 0) {
        datasets.push({
          label: `${run.name} (raw)`,
          mlopsRaw: true,
          data: xs.map((x, i) => ({ x, y: columns.values[i]! })),
          ...line,
          borderColor: withAlpha(line.borderColor, 0.25),
          borderWidth: 1,
          pointRadius: 0,
          pointHoverRadius: 0,
        });
      }
    }
    const labels = datasets.filter((d) => !d.mlopsRaw).map((d) => d.label);
    this.canvas.dataset['datasets'] = JSON.stringify(labels);
    this.canvas.dataset['chart'] = JSON.stringify({
      type: this.kind,
      labels,
      points: datasets.filter((d) => !d.mlopsRaw).map((d) => d.data.length),
      pointRadius: datasets.filter((d) => !d.mlopsRaw).map((d) => d.pointRadius),
    });
    this.drawn = { datasets: labels, points };
    if (!this.chart) this.chart = this.create(view, datasets);
    else {
      this.chart.data.datasets = datasets as never;
      const options = this.chart.options as { scales: { x: { title: { text: string } }; y: { type: string } } };
      options.scales.x.title.text = axisTitle(view.xAxis);
      options.scales.y.type = view.logScale ? 'logarithmic' : 'linear';
      this.chart.update('none');
    }
    return { datasets: labels, points };
  }

  applyTheme(colors: ThemeColors, view: ChartView): void {
    if (!this.chart) return;
    const themed = themeOptions(colors) as Record<string, unknown>;
    mergeOptions(this.chart.options as Record<string, unknown>, themed);
    this.render({ ...view, colors });
  }

  /** Forgets the zoom (the axis changed): the next render shows the whole range. */
  clearZoom(): void {
    this.zoomed = false;
    this.chart?.resetZoom('none');
  }

  dispose(): void {
    this.chart?.destroy();
  }

  private resetZoom(): void {
    this.chart?.resetZoom('none');
    if (this.zoomed) {
      this.zoomed = false;
      this.actions.onRange(this.key, undefined);
    }
  }

  private rangeChanged(): void {
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    this.zoomTimer = setTimeout(() => {
      const scale = this.chart?.scales['x'];
      if (!scale || !this.chart) return;
      this.zoomed = this.chart.isZoomedOrPanned();
      this.actions.onRange(this.key, this.zoomed ? { min: scale.min, max: scale.max } : undefined);
    }, ZOOM_QUERY_DELAY_MS);
  }

  private createBars(view: ChartView, labels: string[], dataset: Record<string, unknown>): Chart {
    const base = themeOptions(view.colors) as Record<string, unknown>;
    const options = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      // Room above the highest bar for its label.
      layout: { padding: { top: 18 } },
      scales: {
        x: { type: 'category', grid: { display: false } },
        y: {
          type: view.logScale ? 'logarithmic' : 'linear',
          beginAtZero: !view.logScale,
          ticks: { callback: (v: number | string) => formatNumber(Number(v)) },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item: { parsed: { y: number } }) => `${this.key}: ${formatNumber(item.parsed.y)}` } },
      },
    };
    mergeOptions(options as Record<string, unknown>, base);
    const plugin = valueLabels(() => ({ ...this.labelColors, format: (_d, i) => this.barLabels[i] ?? '' }));
    return new Chart(this.canvas, {
      type: 'bar',
      data: { labels, datasets: [dataset] as never },
      options: options as never,
      plugins: [plugin as never],
    });
  }

  private create(view: ChartView, datasets: LineDataset[]): Chart {
    const xAxis = () => view.xAxis;
    const base = themeOptions(view.colors) as Record<string, unknown>;
    const options = {
      animation: false,
      parsing: false,
      normalized: true,
      spanGaps: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: axisTitle(view.xAxis) },
          ticks: { maxTicksLimit: 8, callback: (v: number | string) => formatX(Number(v), xAxis()) },
        },
        y: { type: view.logScale ? 'logarithmic' : 'linear', ticks: { callback: (v: number | string) => formatNumber(Number(v)) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item: { dataset: LineDataset }) => !item.dataset.mlopsRaw,
          callbacks: {
            title: (items: { parsed: { x: number } }[]) => (items[0] ? formatXLong(items[0].parsed.x, xAxis()) : ''),
            label: (item: { dataset: LineDataset; parsed: { y: number } }) => `${item.dataset.label}: ${formatNumber(item.parsed.y)}`,
          },
        },
        zoom: {
          zoom: {
            wheel: { enabled: true, modifierKey: 'ctrl' },
            drag: { enabled: true, threshold: 5, backgroundColor: withAlpha(view.colors.runs.blue, 0.15) },
            pinch: { enabled: true },
            mode: 'x',
            onZoomComplete: () => this.rangeChanged(),
          },
          pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: () => this.rangeChanged() },
        },
      },
    };
    mergeOptions(options as Record<string, unknown>, base);
    return new Chart(this.canvas, { type: 'line', data: { datasets: datasets as never }, options: options as never });
  }
}

export function xValues(columns: SeriesColumns, xAxis: XAxis, run: Pick<ChartRun, 'startTime'>): number[] {
  if (xAxis === 'step') return columns.steps;
  if (xAxis === 'time') return columns.timestamps;
  return columns.timestamps.map((t) => (t - run.startTime) / 1000);
}

function axisTitle(xAxis: XAxis): string {
  return xAxis === 'step' ? 'step' : xAxis === 'time' ? 'wall time' : 'time since the run started';
}

function formatX(value: number, xAxis: XAxis): string {
  if (xAxis === 'step') return formatNumber(value);
  if (xAxis === 'time') return formatTime(value);
  return formatSeconds(value);
}

function formatXLong(value: number, xAxis: XAxis): string {
  if (xAxis === 'step') return `step ${formatNumber(value)}`;
  if (xAxis === 'time') return new Date(value).toLocaleString();
  return `${formatSeconds(value)} after the start`;
}

/**
 * A bar's fill in its run's style: the colour, faint; striped for a dashed run and dotted for a
 * dotted one (bars have no dash, so the pattern tells runs of one colour apart).
 */
function barFill(style: RunStyle, color: string): string | CanvasPattern {
  const dash = style.dash ?? (style.dashed ? 1 : 0);
  const faint = withAlpha(color, 0.55);
  if (dash === 0) return faint;
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const ctx = tile.getContext('2d');
  if (!ctx) return faint;
  ctx.fillStyle = withAlpha(color, 0.2);
  ctx.fillRect(0, 0, 8, 8);
  ctx.fillStyle = faint;
  ctx.strokeStyle = faint;
  if (dash === 1) {
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(0, 8);
    ctx.lineTo(8, 0);
    ctx.stroke();
  } else ctx.fillRect(3, 3, 2, 2);
  return ctx.createPattern(tile, 'repeat') ?? faint;
}

// The metrics page: a summary of the latest values, one chart per metric key (a line per run, or a
// bar per run for single values); x axis, smoothing and log scale for all charts; a filter over the
// keys when there are many; zoom, pan and export per chart. Data comes from the host (metricsHandler.ts).
import type {
  MetricsHostMessage,
  MetricsRun,
  MetricsViewMessage,
  MetricsViewState,
  SeriesItem,
  XAxis,
  XRange,
} from '../../../common/src/protocol/chartMessages';
import { registerBarCharts, dashClass } from '../shared/charts';
import { checkbox, el, select, slider } from '../shared/dom';
import { connectToHost } from '../shared/host';
import { onThemeChange, themeColors } from '../shared/theme';
import { FILTER_FROM_KEYS, filterKeys, summaryRows } from './chartShape';
import { MetricChart, type ChartView } from './metricChart';

registerBarCharts();
const root = document.getElementById('root')!;
const host = connectToHost<MetricsViewMessage, MetricsHostMessage, MetricsViewState>(handle);

let state: MetricsViewState = host.getState() ?? { runIds: [], xAxis: 'step', smoothing: 0, logScale: false };
let runs: MetricsRun[] = [];
/** Every metric key of the runs, sorted (the filter shows a subset). */
let allKeys: string[] = [];
let colors = themeColors();
const charts = new Map<string, MetricChart>();
const grid = el('div', 'chart-grid');
let requestId = 0;
/** The first full draw after `runs`: timed, and reported once every chart has its data. */
let firstDraw: { started: number; drawMs: number; pending: Set<string> } | undefined;

onThemeChange((fresh) => {
  colors = fresh;
  for (const chart of charts.values()) chart.applyTheme(colors, view());
});

function view(): ChartView {
  return { runs, xAxis: state.xAxis, smoothing: state.smoothing, logScale: state.logScale, colors };
}

function saveState(next: Partial<MetricsViewState>): void {
  state = { ...state, ...next };
  host.setState(state);
  host.send({ type: 'state', payload: state });
}

function handle(message: MetricsHostMessage): void {
  switch (message.type) {
    case 'runs':
      runs = message.payload.runs;
      state = message.payload.state;
      host.setState(state);
      build(message.payload.keys);
      break;
    case 'series':
      onSeries(message.payload.requestId, message.payload.xAxis, message.payload.items);
      break;
    case 'append':
      onAppend(message.payload.items, message.payload.runs);
      break;
    case 'problem':
      root.querySelector('.problem')?.remove();
      root.prepend(el('p', 'problem', message.payload.message));
      break;
  }
}

function build(keys: readonly string[]): void {
  for (const chart of charts.values()) chart.dispose();
  charts.clear();
  grid.replaceChildren();
  allKeys = [...keys];
  firstDraw = { started: performance.now(), drawMs: 0, pending: new Set(keys) };
  root.replaceChildren(toolbar(), legend(), summary(), grid);
  if (keys.length === 0)
    grid.append(
      el(
        'p',
        'empty',
        runs.length ? 'These runs have not logged any metrics yet.' : 'None of these runs is in the tracking store any more.',
      ),
    );
  for (const key of keys) addChart(key);
  applyFilter();
  if (state.focusKey) charts.get(state.focusKey)?.element.scrollIntoView({ block: 'start' });
}

/** The keys the filter box keeps (all of them while the box is not shown). */
function shownKeys(): string[] {
  return allKeys.length > FILTER_FROM_KEYS ? filterKeys(allKeys, state.keyFilter ?? '') : allKeys;
}

/** Hides the charts the filter leaves out and rebuilds the summary for the keys it keeps. */
function applyFilter(): void {
  const shown = new Set(shownKeys());
  for (const [key, chart] of charts) chart.element.hidden = !shown.has(key);
  summaryElement?.replaceWith(summary());
}

let summaryElement: HTMLElement | undefined;
/**
 * The latest value of every shown key for every run, above the charts (as MLflow's run page lists
 * them): a row per run, a column per key; a click on a key scrolls to its chart.
 */
function summary(): HTMLElement {
  const keys = shownKeys();
  const wrapper = el('div', 'summary');
  if (keys.length > 0 && runs.length > 0) {
    const table = el('table', 'summary-table');
    const head = el('tr');
    head.append(el('th', undefined, 'Run'));
    for (const key of keys) {
      const th = el('th');
      const link = el('button', 'link', key);
      link.type = 'button';
      link.title = `Scroll to the chart of ${key}`;
      link.addEventListener('click', () => charts.get(key)?.element.scrollIntoView({ block: 'start' }));
      th.append(link);
      head.append(th);
    }
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    const byId = new Map(runs.map((r) => [r.runId, r]));
    for (const row of summaryRows(runs, keys)) {
      const run = byId.get(row.runId)!;
      const tr = el('tr');
      const name = el('td', `run run-${run.style.color}${dashClass(run.style)}`);
      name.append(el('span', 'swatch'), el('span', 'name', run.name));
      tr.append(name, ...row.values.map((v, i) => Object.assign(el('td', 'number', v), { title: `${keys[i]} of ${run.name}` })));
      body.append(tr);
    }
    table.append(thead, body);
    wrapper.append(table);
  }
  summaryElement = wrapper;
  return wrapper;
}

function addChart(key: string): MetricChart {
  const chart = new MetricChart(key, {
    onRange: (k, range) => query(k, range),
    exportPng: (k, dataUrl) => host.send({ type: 'exportPng', payload: { key: k, dataUrl } }),
    exportCsv: (k) => host.send({ type: 'exportCsv', payload: { key: k } }),
  });
  charts.set(key, chart);
  if (key === state.focusKey) chart.element.classList.add('focused');
  grid.append(chart.element);
  return chart;
}

function query(key: string, range: XRange | undefined): void {
  const chart = charts.get(key);
  if (!chart) return;
  chart.lastRequest = ++requestId;
  host.send({ type: 'query', payload: { requestId: chart.lastRequest, key, xAxis: state.xAxis, ...(range ? { range } : {}) } });
}

function onSeries(id: number, xAxis: XAxis, items: readonly SeriesItem[]): void {
  if (xAxis !== state.xAxis) return;
  const byKey = new Map<string, SeriesItem[]>();
  for (const item of items) byKey.set(item.key, [...(byKey.get(item.key) ?? []), item]);
  for (const [key, list] of byKey) {
    const chart = charts.get(key) ?? addChart(key);
    if (id < chart.lastRequest) continue;
    chart.setSeries(list);
    draw(chart);
  }
}

function onAppend(items: readonly SeriesItem[], fresh: MetricsRun[]): void {
  runs = fresh;
  const touched = new Set<MetricChart>();
  for (const item of items) {
    const chart = charts.get(item.key) ?? addChart(item.key);
    chart.append(item);
    touched.add(chart);
  }
  for (const chart of touched) draw(chart);
  legendElement?.replaceWith(legend());
  const added = [...charts.keys()].filter((k) => !allKeys.includes(k));
  if (added.length) allKeys = [...allKeys, ...added].sort();
  applyFilter();
}

function draw(chart: MetricChart): void {
  const started = performance.now();
  chart.render(view());
  if (!firstDraw) return;
  firstDraw.drawMs += performance.now() - started;
  firstDraw.pending.delete(chart.key);
  if (firstDraw.pending.size > 0) return;
  const report = { ms: firstDraw.drawMs, charts: [...charts.values()].map((c) => ({ key: c.key, ...c.drawn })) };
  document.body.dataset['drawMs'] = firstDraw.drawMs.toFixed(1);
  document.body.dataset['loadMs'] = (performance.now() - firstDraw.started).toFixed(1);
  document.body.dataset['drawnPoints'] = String(report.charts.reduce((n, c) => n + c.points, 0));
  firstDraw = undefined;
  host.send({ type: 'drawn', payload: report });
}

function redrawAll(): void {
  for (const chart of charts.values()) if (chart.hasData) chart.render(view());
}

function toolbar(): HTMLElement {
  const bar = el('div', 'toolbar');
  bar.append(
    select(
      'X axis',
      [
        { value: 'step', text: 'Step' },
        { value: 'time', text: 'Wall time' },
        { value: 'relative', text: 'Relative time' },
      ],
      state.xAxis,
      (value) => {
        saveState({ xAxis: value as XAxis });
        for (const [key, chart] of charts) {
          chart.clearZoom();
          query(key, undefined);
        }
      },
    ),
    slider(
      'Smoothing',
      { min: 0, max: 0.99, step: 0.01 },
      state.smoothing,
      (v) => v.toFixed(2),
      (value) => {
        saveState({ smoothing: value });
        redrawAll();
      },
    ),
    checkbox('Log scale', state.logScale, (checked) => {
      saveState({ logScale: checked });
      redrawAll();
    }),
    el('span', 'hint', 'Drag to zoom, Shift+drag to pan, Ctrl+wheel to zoom, double-click to reset.'),
  );
  if (allKeys.length > FILTER_FROM_KEYS) bar.prepend(keyFilter());
  return bar;
}

/** The filter box over metric keys (shown when there are more than FILTER_FROM_KEYS). */
function keyFilter(): HTMLElement {
  const wrapper = el('label', 'control', 'Filter metrics');
  const input = el('input', 'key-filter');
  input.type = 'search';
  input.placeholder = `${allKeys.length} metrics`;
  input.value = state.keyFilter ?? '';
  input.addEventListener('input', () => {
    saveState({ keyFilter: input.value });
    applyFilter();
  });
  wrapper.append(' ', input);
  return wrapper;
}

let legendElement: HTMLElement | undefined;
function legend(): HTMLElement {
  const list = el('ul', 'legend');
  for (const run of runs) {
    const item = el('li', `run run-${run.style.color}${dashClass(run.style)}`);
    item.append(el('span', 'swatch'), el('span', 'name', run.name), el('span', 'status', run.status.toLowerCase()));
    item.title = run.runId;
    list.append(item);
  }
  legendElement = list;
  return list;
}

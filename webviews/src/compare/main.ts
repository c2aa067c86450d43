// The compare page: the runs' params and latest metrics side by side (differences highlighted,
// columns sortable), and a scatter of any metric against any param. Data from compareHandler.ts.
import type { CompareHostMessage, CompareRun, CompareViewMessage, CompareViewState } from '../../../common/src/protocol/chartMessages';
import { Chart, formatNumber, mergeOptions, registerCharts, themeOptions, dashClass } from '../shared/charts';
import { button, checkbox, el, select } from '../shared/dom';
import { connectToHost } from '../shared/host';
import { onThemeChange, themeColors } from '../shared/theme';
import { cellValue, compareColumns, scatterData, sortRuns, type Column } from './table';

registerCharts();
const root = document.getElementById('root')!;
const host = connectToHost<CompareViewMessage, CompareHostMessage, CompareViewState>(handle);

let state: CompareViewState = host.getState() ?? { runIds: [] };
let runs: CompareRun[] = [];
let onlyDifferences = false;
let colors = themeColors();
let scatter: Chart | undefined;

onThemeChange((fresh) => {
  colors = fresh;
  renderScatter();
});

function handle(message: CompareHostMessage): void {
  switch (message.type) {
    case 'compare':
      runs = message.payload.runs;
      state = message.payload.state;
      host.setState(state);
      render();
      break;
    case 'problem':
      root.querySelector('.problem')?.remove();
      root.prepend(el('p', 'problem', message.payload.message));
      break;
  }
}

function saveState(next: Partial<CompareViewState>): void {
  state = { ...state, ...next };
  host.setState(state);
  host.send({ type: 'state', payload: state });
}

function render(): void {
  const header = el('div', 'toolbar');
  header.append(
    el('h1', undefined, `Comparing ${runs.length} runs`),
    checkbox('Only differences', onlyDifferences, (checked) => {
      onlyDifferences = checked;
      render();
    }),
    button(
      'Metrics charts',
      () => host.send({ type: 'showMetrics', payload: { runIds: runs.map((r) => r.runId) } }),
      'Open the metrics charts of these runs',
    ),
  );
  root.replaceChildren(header, table(), scatterSection());
  renderScatter();
}

function table(): HTMLElement {
  const columns = compareColumns(runs).filter((c) => !onlyDifferences || c.differs || c.kind === 'name');
  const sortColumn = columns.find((c) => c.id === state.sort?.column);
  const ordered = sortColumn ? sortRuns(runs, sortColumn, state.sort!.descending) : runs;
  const t = el('table', 'compare');
  const head = el('tr');
  for (const column of columns) {
    const th = el('th', column.differs ? 'differs' : undefined);
    const sorted = state.sort?.column === column.id;
    const label = button(
      `${column.id}${sorted ? (state.sort!.descending ? ' ▼' : ' ▲') : ''}`,
      () => {
        saveState({ sort: { column: column.id, descending: sorted ? !state.sort!.descending : column.kind === 'metric' } });
        render();
      },
      column.differs ? 'The runs differ here. Click to sort.' : 'Click to sort',
    );
    th.setAttribute('aria-sort', sorted ? (state.sort!.descending ? 'descending' : 'ascending') : 'none');
    th.append(label);
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  for (const run of ordered) body.append(row(run, columns));
  t.append(thead, body);
  const wrapper = el('div', 'table-wrapper');
  wrapper.append(t);
  return wrapper;
}

function row(run: CompareRun, columns: readonly Column[]): HTMLTableRowElement {
  const tr = el('tr');
  tr.dataset['runId'] = run.runId;
  for (const column of columns) {
    const value = cellValue(run, column);
    const td = el(
      'td',
      [column.differs ? 'differs' : '', typeof value === 'number' ? 'number' : ''].filter(Boolean).join(' ') || undefined,
    );
    if (column.kind === 'name') {
      const name = button(
        run.name,
        () => host.send({ type: 'revealRun', payload: { runId: run.runId } }),
        `Reveal ${run.runId} in the Experiments view`,
      );
      name.className = `link run run-${run.style.color}${dashClass(run.style)}`;
      name.prepend(el('span', 'swatch'));
      td.append(name);
    } else {
      td.textContent = value === undefined ? '—' : typeof value === 'number' ? formatNumber(value) : value;
      if (typeof value === 'number') td.title = String(value);
    }
    tr.append(td);
  }
  return tr;
}

function scatterSection(): HTMLElement {
  const section = el('section', 'scatter');
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const params = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  // By default: the metric most runs logged, against the first param whose values differ.
  const shared = (key: string) => runs.filter((r) => typeof r.metrics[key] === 'number').length;
  const defaultMetric = metrics.slice().sort((a, b) => shared(b) - shared(a))[0];
  const differing = compareColumns(runs).find((c) => c.kind === 'param' && c.differs)?.key;
  if (metrics.length === 0 || params.length === 0) {
    section.append(el('p', 'empty', 'A scatter needs runs with both params and metrics.'));
    return section;
  }
  const chosen = {
    metric: state.scatter && metrics.includes(state.scatter.metric) ? state.scatter.metric : defaultMetric!,
    param: state.scatter && params.includes(state.scatter.param) ? state.scatter.param : (differing ?? params[0]!),
  };
  state = { ...state, scatter: chosen };
  const controls = el('div', 'toolbar');
  controls.append(
    el('h2', undefined, 'Scatter'),
    select(
      'Metric (y)',
      metrics.map((m) => ({ value: m, text: m })),
      chosen.metric,
      (metric) => {
        saveState({ scatter: { ...chosen, metric } });
        render();
      },
    ),
    select(
      'Param (x)',
      params.map((p) => ({ value: p, text: p })),
      chosen.param,
      (param) => {
        saveState({ scatter: { ...chosen, param } });
        render();
      },
    ),
  );
  const holder = el('div', 'canvas-holder');
  const canvas = el('canvas');
  canvas.id = 'scatter';
  holder.append(canvas);
  section.append(controls, holder);
  return section;
}

function renderScatter(): void {
  scatter?.destroy();
  scatter = undefined;
  const canvas = document.getElementById('scatter') as HTMLCanvasElement | null;
  if (!canvas || !state.scatter) return;
  const { metric, param } = state.scatter;
  const data = scatterData(runs, metric, param);
  const byId = new Map(runs.map((r) => [r.runId, r]));
  const datasets = data.points.map((p) => {
    const run = byId.get(p.runId)!;
    const color = colors.runs[run.style.color];
    return {
      label: run.name,
      data: [{ x: p.x, y: p.y }],
      borderColor: color,
      backgroundColor: color,
      pointRadius: 6,
      pointHoverRadius: 8,
      pointStyle: run.style.dashed ? 'rectRot' : 'circle',
    };
  });
  canvas.dataset['datasets'] = JSON.stringify(datasets.map((d) => d.label));
  const categories = data.categories;
  const options = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    scales: {
      x: {
        type: 'linear',
        title: { display: true, text: `params.${param}` },
        ...(categories
          ? {
              min: -0.5,
              max: categories.length - 0.5,
              ticks: { stepSize: 1, callback: (v: number | string) => categories[Number(v)] ?? '' },
            }
          : { grace: '5%', ticks: { callback: (v: number | string) => formatNumber(Number(v)) } }),
      },
      y: {
        type: 'linear',
        grace: '5%',
        title: { display: true, text: `metrics.${metric}` },
        ticks: { callback: (v: number | string) => formatNumber(Number(v)) },
      },
    },
    plugins: {
      legend: { display: true, position: 'bottom' },
      tooltip: {
        callbacks: {
          label: (item: { dataset: { label: string }; parsed: { x: number; y: number } }) =>
            `${item.dataset.label}: ${param} = ${categories ? categories[item.parsed.x] : formatNumber(item.parsed.x)}, ${metric} = ${formatNumber(item.parsed.y)}`,
        },
      },
      zoom: {
        zoom: { wheel: { enabled: true, modifierKey: 'ctrl' }, drag: { enabled: true, threshold: 5 }, mode: 'xy' },
        pan: { enabled: true, mode: 'xy', modifierKey: 'shift' },
      },
    },
  };
  mergeOptions(options as Record<string, unknown>, themeOptions(colors) as Record<string, unknown>);
  scatter = new Chart(canvas, { type: 'scatter', data: { datasets: datasets as never }, options: options as never });
  canvas.addEventListener('dblclick', () => scatter?.resetZoom('none'));
}

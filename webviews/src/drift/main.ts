import type { MonitorCheckResult, MonitorColumnResult, MonitorHistoryEntry } from '../../../common/src/monitor/result';
import type { DriftReportHostMessage, DriftReportViewMessage } from '../../../common/src/protocol/driftMessages';
import { connectToHost, el, svg } from '../shared/host';
import { clearCharts, drawDistribution } from './distributionCharts';

/**
 * The drift report of one monitor check: verdict, per-column table,
 * performance against the baseline, and drift over past checks. Every string
 * from a file or the store goes in as text.
 */
const root = document.getElementById('root')!;
const host = connectToHost<DriftReportViewMessage, DriftReportHostMessage>((message) => {
  if (message.type === 'report') render(message.payload.result, message.payload.history);
});

function figure(x: number | null | undefined): string {
  if (x === null || x === undefined) return '∞';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(2);
  return x.toFixed(4);
}

const STATUS_TEXT: Record<string, string> = { ok: 'No drift', drift: 'Drift', error: 'Not checked' };

function render(result: MonitorCheckResult, history: readonly MonitorHistoryEntry[]): void {
  const header = el('header');
  const title = el('h1', undefined, result.monitor);
  const badge = el('span', `badge status-${result.status}`, STATUS_TEXT[result.status] ?? result.status);
  badge.setAttribute('data-status', result.status);
  header.append(title, badge, el('span', 'when', new Date(result.time).toLocaleString()));
  const actions = el('div', 'actions');
  const recheck = el('button', undefined, 'Check again');
  recheck.addEventListener('click', () => host.send({ type: 'recheck' }));
  actions.append(recheck);
  if (result.onDrift?.pipeline) {
    const retrain = el('button', 'secondary', 'Retrain');
    retrain.title = `Runs ${result.onDrift.pipeline} (after a confirmation)`;
    retrain.addEventListener('click', () => host.send({ type: 'retrain' }));
    actions.append(retrain);
  }
  header.append(actions);
  const parts: HTMLElement[] = [header];
  if (result.status === 'error') parts.push(el('p', 'problem', result.error ?? 'The check did not run.'));
  clearCharts();
  let charts: HTMLElement | undefined;
  if (result.data) parts.push(dataSection(result, (column) => charts && showColumn(charts, result, column)));
  if (result.data?.columns.length) {
    charts = distributionSection(result);
    parts.push(charts);
  }
  if (result.performance) parts.push(performanceSection(result));
  if (history.length > 0) parts.push(historySection(history, result.time));
  root.replaceChildren(...parts);
  if (charts && result.data) showColumn(charts, result, (result.data.columns.find((c) => c.drift) ?? result.data.columns[0]!).column);
}

/** A table in a horizontally scrolling box, so a narrow panel never cuts the drift column off. */
function scroller(t: HTMLTableElement): HTMLElement {
  const box = el('div', 'table-wrap');
  box.append(t);
  return box;
}

function table(headers: readonly string[], rows: readonly (readonly (string | HTMLElement)[])[], className: string): HTMLTableElement {
  const t = el('table', className);
  const head = el('tr');
  for (const h of headers) head.append(el('th', undefined, h));
  t.append(el('thead'));
  t.tHead!.append(head);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    for (const cell of row) {
      const td = el('td');
      if (typeof cell === 'string') td.textContent = cell;
      else td.append(cell);
      tr.append(td);
    }
    body.append(tr);
  }
  t.append(body);
  return t;
}

function driftCell(drift: boolean, yes = 'DRIFT', no = 'ok'): HTMLElement {
  return el('span', drift ? 'flag drift' : 'flag ok', drift ? yes : no);
}

function dataSection(result: MonitorCheckResult, pick: (column: string) => void): HTMLElement {
  const data = result.data!;
  const section = el('section', 'data');
  section.append(el('h2', undefined, 'Data drift'));
  const files = data.currentFiles.length === 1 ? data.currentFiles[0]! : `${data.currentFiles.length} files`;
  section.append(
    el(
      'p',
      'files',
      `Reference ${data.referenceFile} (${data.referenceRows} rows) · current ${files} (${data.currentRows} rows) · method ${data.method}`,
    ),
  );
  section.append(
    el(
      'p',
      data.datasetDrift ? 'verdict drift' : 'verdict ok',
      `${data.datasetDrift ? 'Dataset drift' : 'No dataset drift'}: ${data.driftedColumns} of ${data.columns.length} columns drifted (share ${data.share.toFixed(2)}, dataset drift at ≥ ${data.datasetDriftShare}).`,
    ),
  );
  const rows = data.columns.map((c: MonitorColumnResult) => {
    const name = el('span', 'column', c.column);
    return [
      name,
      c.kind,
      c.method,
      figure(c.statistic),
      `${c.measure === 'p_value' ? 'p = ' : 'd = '}${figure(c.value)}`,
      `${c.measure === 'p_value' ? '< ' : '≥ '}${c.threshold}`,
      `${c.reference.count} / ${c.current.count}${c.reference.missing + c.current.missing ? ` (missing ${c.reference.missing} / ${c.current.missing})` : ''}`,
      driftCell(c.drift),
    ];
  });
  const t = table(
    ['column', 'kind', 'test', 'statistic', 'p-value or distance', 'threshold', 'values (ref / cur)', 'drift'],
    rows,
    'columns',
  );
  data.columns.forEach((c, i) => {
    const row = t.tBodies[0]!.rows[i]!;
    row.setAttribute('data-drift', String(c.drift));
    row.classList.add('pickable');
    row.title = 'Show its distributions';
    row.addEventListener('click', () => pick(c.column));
  });
  section.append(scroller(t));
  for (const s of data.skipped) section.append(el('p', 'note', `Skipped ${s.column}: ${s.reason}`));
  return section;
}

function performanceSection(result: MonitorCheckResult): HTMLElement {
  const perf = result.performance!;
  const section = el('section', 'performance');
  section.append(el('h2', undefined, 'Performance'));
  if ('skipped' in perf) {
    section.append(el('p', 'note', `Not compared: ${perf.skipped}.`));
    return section;
  }
  section.append(el('p', 'files', `${perf.current} against ${perf.baseline} · alert when |change| > ${perf.alertThreshold}`));
  const rows = perf.metrics.map((m) => [
    m.metric,
    m.baseline === null ? '–' : figure(m.baseline),
    m.current === null ? '–' : figure(m.current),
    m.change === null ? 'missing' : `${m.change > 0 ? '+' : ''}${figure(m.change)}`,
    driftCell(m.alert, 'ALERT'),
  ]);
  section.append(scroller(table(['metric', 'baseline', 'current', 'change', 'alert'], rows, 'metrics')));
  return section;
}

/** Share of drifted columns per past check, oldest left, as bars; the shown check is outlined. */
function historySection(history: readonly MonitorHistoryEntry[], shown: number): HTMLElement {
  const section = el('section', 'history');
  section.append(el('h2', undefined, 'Drift over past checks'));
  const checks = [...history].reverse();
  const width = Math.max(240, checks.length * 22);
  const height = 90;
  const chart = svg('svg', { width, height: height + 16, viewBox: `0 0 ${width} ${height + 16}`, role: 'img', class: 'history-chart' });
  chart.setAttribute('aria-label', 'Share of drifted columns per check');
  const threshold = checks.find((c) => c.result?.data)?.result?.data?.datasetDriftShare;
  checks.forEach((c, i) => {
    const share = c.result?.data?.share ?? 0;
    const h = Math.max(2, share * height);
    const bar = svg('rect', {
      x: i * 22 + 4,
      y: height - h,
      width: 16,
      height: h,
      class: `bar status-${c.status}${c.time === shown ? ' shown' : ''}`,
    });
    bar.append(
      svg(
        'title',
        {},
        `${new Date(c.time).toLocaleString()}: ${STATUS_TEXT[c.status] ?? c.status}${c.result?.data ? `, ${c.result.data.driftedColumns} of ${c.result.data.columns.length} columns` : ''}`,
      ),
    );
    chart.append(bar);
  });
  if (threshold !== undefined) {
    const y = height - threshold * height;
    chart.append(svg('line', { x1: 0, x2: width, y1: y, y2: y, class: 'threshold' }));
  }
  chart.append(svg('text', { x: 0, y: height + 13, class: 'axis' }, 'share of drifted columns (line: dataset drift)'));
  section.append(chart);
  const drifted = (c: MonitorHistoryEntry) =>
    c.result?.data
      ? c.result.data.columns
          .filter((x) => x.drift)
          .map((x) => x.column)
          .join(', ') || '–'
      : '';
  const rows = history.map((c) => [
    new Date(c.time).toLocaleString(),
    STATUS_TEXT[c.status] ?? c.status,
    c.result?.data ? `${c.result.data.driftedColumns} of ${c.result.data.columns.length}` : (c.result?.error ?? ''),
    drifted(c),
  ]);
  section.append(scroller(table(['checked', 'status', 'drifted', 'columns'], rows, 'past')));
  return section;
}

/** Histograms and ECDFs of one column at a time; the select (or a click on a table row) picks it. */
function distributionSection(result: MonitorCheckResult): HTMLElement {
  const section = el('section', 'distributions');
  section.append(el('h2', undefined, 'Distributions: reference against current'));
  const label = el('label', 'control', 'Column ');
  const choose = el('select');
  for (const c of result.data!.columns) {
    const option = el('option', undefined, `${c.column}${c.drift ? ' (drift)' : ''}`);
    option.value = c.column;
    choose.append(option);
  }
  choose.addEventListener('change', () => showColumn(section, result, choose.value));
  label.append(choose);
  section.append(label, el('div', 'charts'));
  return section;
}

function showColumn(section: HTMLElement, result: MonitorCheckResult, column: string): void {
  const found = result.data?.columns.find((c) => c.column === column);
  const choose = section.querySelector('select');
  const box = section.querySelector<HTMLElement>('.charts');
  if (!found || !box) return;
  if (choose) choose.value = column;
  box.setAttribute('data-column', column);
  drawDistribution(box, found);
}

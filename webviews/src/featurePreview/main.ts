import type { FeatureViewPreview, PreviewCell, PreviewColumn } from '../../../common/src/features/preview';
import type { FeaturePreviewHostMessage, FeaturePreviewViewMessage } from '../../../common/src/protocol/featurePreviewMessages';
import { button } from '../shared/dom';
import { connectToHost, el } from '../shared/host';
import { clearHistograms, drawHistograms } from './histograms';

/**
 * The preview of one feature view: per-column statistics over every row of
 * its source, a histogram per numeric field, and the first rows. Every string
 * from a file goes in as text.
 */
const root = document.getElementById('root')!;
const host = connectToHost<FeaturePreviewViewMessage, FeaturePreviewHostMessage>((message) => {
  if (message.type === 'loading') {
    root.classList.add('loading');
    if (!root.firstChild) root.replaceChildren(el('p', 'note', `Reading the source of ${message.view}…`));
  } else if (message.type === 'error') {
    root.classList.remove('loading');
    clearHistograms();
    root.replaceChildren(header(message.view), el('p', 'problem', message.message));
  } else render(message.payload);
});

const count = (n: number) => n.toLocaleString();
const figure = (value: string | number | undefined): string =>
  value === undefined ? '' : typeof value === 'number' ? count(Number(value.toPrecision(6))) : value;
const cell = (value: PreviewCell): string => (value === null ? '' : String(value));

function header(view: string, preview?: FeatureViewPreview): HTMLElement {
  const head = el('header');
  head.append(el('h1', undefined, view));
  if (preview) {
    const about = el(
      'span',
      'about',
      `${count(preview.totalRows)} rows · source ${preview.source.name} (${preview.source.file}) · ttl ${preview.ttl}`,
    );
    head.append(about);
    if (preview.online) head.append(el('span', 'badge', 'online'));
  }
  const actions = el('div', 'actions');
  actions.append(
    button('Refresh', () => host.send({ type: 'refresh' }), 'Read the source again'),
    Object.assign(
      button('Open Definition', () => host.send({ type: 'openDefinition' })),
      { className: 'secondary' },
    ),
  );
  head.append(actions);
  return head;
}

function table(
  className: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[],
): HTMLElement {
  const t = el('table', className);
  const head = el('tr');
  headers.forEach((h, c) => head.append(el('th', numeric[c] ? 'num' : undefined, h)));
  t.append(el('thead'));
  t.tHead!.append(head);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    row.forEach((text, c) => tr.append(el('td', numeric[c] ? 'num' : undefined, text)));
    body.append(tr);
  }
  t.append(body);
  const wrap = el('div', 'table-wrap');
  wrap.append(t);
  return wrap;
}

function statsTable(columns: readonly PreviewColumn[]): HTMLElement {
  const rows = columns.map((c) => [
    c.sourceColumn ? `${c.name} ← ${c.sourceColumn}` : c.name,
    c.role,
    c.dtype ?? '',
    count(c.count),
    count(c.missing),
    count(c.distinct),
    figure(c.min),
    figure(c.max),
    figure(c.mean),
  ]);
  const wrap = table('stats', ['column', 'role', 'dtype', 'count', 'missing', 'distinct', 'min', 'max', 'mean'], rows, [
    false,
    false,
    false,
    true,
    true,
    true,
    true,
    true,
    true,
  ]);
  wrap.querySelectorAll('tbody tr').forEach((tr, i) => {
    const column = columns[i]!;
    tr.setAttribute('data-column', column.name);
    if (column.missing > 0) tr.classList.add('has-missing');
    if (column.invalid) (tr as HTMLElement).title = `${column.invalid} value(s) are not ${column.dtype ?? 'timestamps'}`;
  });
  return wrap;
}

function render(preview: FeatureViewPreview): void {
  root.classList.remove('loading');
  const parts: HTMLElement[] = [header(preview.view, preview)];
  const invalid = preview.columns.filter((c) => c.invalid);
  for (const c of invalid) parts.push(el('p', 'problem', `${c.name}: ${count(c.invalid!)} value(s) are not ${c.dtype ?? 'timestamps'}.`));
  const stats = el('section', 'statistics');
  stats.append(el('h2', undefined, `Statistics of all ${count(preview.totalRows)} rows`), statsTable(preview.columns));
  const charts = el('section', 'histograms');
  const grid = el('div', 'charts');
  charts.append(el('h2', undefined, 'Histograms'), grid);
  const rows = el('section', 'rows');
  rows.append(
    el(
      'h2',
      undefined,
      preview.rows.length < preview.totalRows ? `First ${count(preview.rows.length)} rows` : `All ${count(preview.rows.length)} rows`,
    ),
    table(
      'rows',
      preview.columns.map((c) => c.name),
      preview.rows.map((r) => r.map(cell)),
      preview.columns.map((c) => c.histogram !== undefined),
    ),
  );
  parts.push(stats, charts, rows);
  root.replaceChildren(...parts);
  drawHistograms(grid, preview.columns);
}

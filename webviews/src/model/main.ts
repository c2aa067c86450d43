// The MLflow model panel: a model folder's flavors, signature (inputs, outputs, params) and input
// example. Every string comes from the model's files and becomes text nodes only.
import type { ModelHostMessage, ModelView, ModelViewMessage, SignatureField } from '../../../common/src/protocol/modelMessages';
import { el } from '../shared/dom';
import { connectToHost } from '../shared/host';

const root = document.getElementById('root')!;
connectToHost<ModelViewMessage, ModelHostMessage>((message) => {
  if (message.type === 'model') render(message.payload);
  else root.replaceChildren(el('p', 'problem', message.payload.message));
});

function render(view: ModelView): void {
  const { model } = view;
  const facts: [string, string | undefined][] = [
    ['Run', model.runId],
    ['Created', model.created],
    ['MLflow', model.mlflowVersion],
    ['Size', model.sizeBytes !== undefined ? `${model.sizeBytes.toLocaleString()} bytes` : undefined],
    ['Model UUID', model.modelUuid],
  ];
  const header = el('header');
  header.append(el('h1', undefined, view.title), el('p', 'where', view.where));
  const dl = el('dl', 'facts');
  for (const [term, value] of facts) if (value) dl.append(el('dt', undefined, term), el('dd', undefined, value));
  header.append(dl);

  const flavors = section('Flavors', 'flavors');
  for (const flavor of model.flavors) {
    const box = el('div', 'flavor');
    box.dataset['flavor'] = flavor.name;
    box.append(el('h3', undefined, flavor.name));
    if (flavor.settings.length) box.append(table(['setting', 'value'], flavor.settings));
    flavors.append(box);
  }

  const signature = section('Signature', 'signature');
  if (!model.signature) signature.append(el('p', 'empty', 'This model was logged without a signature.'));
  else
    for (const [title, fields] of [
      ['Inputs', model.signature.inputs],
      ['Outputs', model.signature.outputs],
      ['Params', model.signature.params],
    ] as const) {
      if (title === 'Params' && fields.length === 0) continue;
      const part = el('div', `signature-part ${title.toLowerCase()}`);
      part.append(el('h3', undefined, title));
      part.append(fields.length ? fieldTable(fields) : el('p', 'empty', 'none'));
      signature.append(part);
    }

  const example = section('Input example', 'example');
  if (view.example && 'table' in view.example) {
    const t = view.example.table;
    example.append(el('p', 'where', view.example.path + (t.total > t.rows.length ? ` (first ${t.rows.length} of ${t.total} rows)` : '')));
    example.append(table(t.columns, t.rows));
  } else if (view.example) {
    example.append(
      el('p', 'where', view.example.path + (view.example.truncated ? ' (truncated)' : '')),
      el('pre', undefined, view.example.text),
    );
  } else example.append(el('p', 'empty', view.exampleProblem ?? 'This model was logged without an input example.'));

  root.replaceChildren(header, flavors, signature, example);
}

function section(title: string, className: string): HTMLElement {
  const s = el('section', className);
  s.append(el('h2', undefined, title));
  return s;
}

function fieldTable(fields: readonly SignatureField[]): HTMLElement {
  const withShape = fields.some((f) => f.shape);
  const withDefault = fields.some((f) => f.default !== undefined);
  const columns = ['#', 'name', 'type', ...(withShape ? ['shape'] : []), 'required', ...(withDefault ? ['default'] : [])];
  const rows = fields.map((f, i) => [
    String(i),
    f.name,
    f.type,
    ...(withShape ? [f.shape ?? ''] : []),
    f.optional ? 'no' : 'yes',
    ...(withDefault ? [f.default ?? ''] : []),
  ]);
  return table(columns, rows);
}

function table(columns: readonly string[], rows: readonly (readonly string[])[]): HTMLElement {
  const wrapper = el('div', 'table-wrapper');
  const t = el('table');
  const head = el('tr');
  for (const c of columns) head.append(el('th', undefined, c));
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    for (const cell of row) tr.append(el('td', undefined, cell));
    body.append(tr);
  }
  t.append(thead, body);
  wrapper.append(t);
  return wrapper;
}

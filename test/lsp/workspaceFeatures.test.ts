import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type CodeAction,
  type CodeLens,
  type CompletionList,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspServer } from '../helpers/lspServer';

const FIXTURE = path.resolve(__dirname, '../fixtures/features-workspace');

/** A scratch copy of the fixture workspace, so that tests may edit files on disk. */
function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-ws-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

async function indexed(server: LspServer): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!server.logs.some((l) => l.message.startsWith('workspace diagnostics:'))) {
    if (Date.now() > deadline) throw new Error(`no index log: ${JSON.stringify(server.logs)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('features and monitor files across the workspace (real server over stdio)', () => {
  let server: LspServer;
  let root: string;
  const uri = (file: string) => pathToFileURL(path.join(root, file)).toString();
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  const at = (file: string, needle: string, shift = 1, nth = 0): Position => {
    const text = read(file);
    let index = -1;
    for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
    assert.ok(index >= 0, `${needle} not in ${file}`);
    return TextDocument.create('x', 'x', 0, text).positionAt(index + shift);
  };
  const open = async (file: string, languageId: string, text = read(file), version = 1) =>
    server.open(uri(file), languageId, text, version);

  before(async () => {
    root = scratch();
    server = await LspServer.start(
      { validationDelayMs: 20 },
      {
        workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'ws' }],
        capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } },
      },
    );
    await indexed(server);
  });
  after(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('indexes the workspace and finds the clean fixture clean', async () => {
    assert.match(
      server.logs.find((l) => l.message.startsWith('workspace index:'))!.message,
      /workspace index: 4 files in \d+ ms \(cpu \d+ ms\)/,
    );
    await open('views.features.yaml', 'mlops-features');
    const { diagnostics } = await server.diagnostics(uri('views.features.yaml'));
    assert.deepEqual(diagnostics, []);
  });

  it('puts Preview on every feature view and Materialize on the online one, with the file and the view as arguments', async () => {
    const lenses = await server.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri('views.features.yaml') } });
    const text = read('views.features.yaml');
    const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]),
      [
        [
          lineOf('- name: customer_features'),
          '$(table) Preview',
          'mlops.previewFeatureView',
          [uri('views.features.yaml'), 'customer_features'],
        ],
        [
          lineOf('- name: customer_features'),
          '$(database) Materialize',
          'mlops.materializeFeatures',
          [uri('views.features.yaml'), 'customer_features'],
        ],
        [lineOf('- name: store_features'), '$(table) Preview', 'mlops.previewFeatureView', [uri('views.features.yaml'), 'store_features']],
      ],
    );
  });

  it('hovers an entity inside a view with its join key, type and the views that use it', async () => {
    const hover = await server.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri('views.features.yaml') },
      position: at('views.features.yaml', '[customer]', 2),
    });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*entity\*\* `customer`/);
    assert.match(value, /join key `customer_id` · type `String`/);
    assert.match(value, /used by `customer_features`/);
    assert.match(value, /defined in `entities.features.yaml`/);
  });

  it('hovers a view with its entities, ttl, source and a table of fields; a field with its dtype; a Parquet source with its columns', async () => {
    const view = await server.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri('views.features.yaml') },
      position: at('views.features.yaml', '- customer_features', 4),
    });
    const value = (view.contents as { value: string }).value;
    assert.match(value, /entities: `customer` · ttl `1d` · online · source `customer_stats` \(`data\/customers.csv`\)/);
    assert.match(value, /\| total_purchases \| Int64 \|/);
    const field = await server.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri('views.features.yaml') },
      position: at('views.features.yaml', 'avg_order_value]', 2),
    });
    assert.match((field.contents as { value: string }).value, /\*\*field\*\* `avg_order_value`: `Float32`/);
    await open('entities.features.yaml', 'mlops-features');
    const source = await server.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri('entities.features.yaml') },
      position: at('entities.features.yaml', 'store_stats', 2),
    });
    const columns = (source.contents as { value: string }).value;
    assert.match(columns, /Parquet schema/);
    assert.match(columns, /\| store_id \| Int64 \|/);
    assert.match(columns, /\| ts \| UnixTimestamp \|/);
    assert.match(columns, /\| city \| String \|/);
  });

  it("outlines the sections, their named items and each view's fields", async () => {
    const symbols = await server.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: uri('views.features.yaml') },
    });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.children?.map((c) => c.name)]),
      [
        ['feature_views', ['customer_features', 'store_features']],
        ['feature_services', ['churn_model_v1']],
      ],
    );
    assert.deepEqual(
      symbols[0]!.children![0]!.children!.map((f) => [f.name, f.detail]),
      [
        ['customer_id', 'String'],
        ['total_purchases', 'Int64'],
        ['avg_order_value', 'Float32'],
      ],
    );
  });

  it('goes to definitions in other files and finds references across files', async () => {
    const defs = await server.request<Location[]>('textDocument/definition', {
      textDocument: { uri: uri('views.features.yaml') },
      position: at('views.features.yaml', 'store_stats', 2),
    });
    assert.equal(defs.length, 1);
    assert.equal(defs[0]!.uri, uri('entities.features.yaml'));
    assert.equal(defs[0]!.range.start.line, 15);
    const fieldDef = await server.request<Location[]>('textDocument/definition', {
      textDocument: { uri: uri('views.features.yaml') },
      position: at('views.features.yaml', 'total_purchases,', 2),
    });
    assert.equal(fieldDef[0]!.range.start.line, 8);
    const refs = await server.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri('entities.features.yaml') },
      position: at('entities.features.yaml', 'customer\n', 2),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(refs.map((r) => [path.basename(r.uri), r.range.start.line]).sort(), [
      ['entities.features.yaml', 3],
      ['views.features.yaml', 2],
    ]);
  });

  it('renames an entity, a source, a view and a field in every file', async () => {
    const edit = await server.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: uri('views.features.yaml') },
      position: at('views.features.yaml', '[customer]', 2),
      newName: 'shopper',
    });
    assert.deepEqual(
      Object.keys(edit.changes!)
        .map((u) => path.basename(u))
        .sort(),
      ['entities.features.yaml', 'views.features.yaml'],
    );
    const field = await server.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: uri('views.features.yaml') },
      position: at('views.features.yaml', 'total_purchases,', 2),
      newName: 'purchases',
    });
    assert.equal(field.changes![uri('views.features.yaml')]!.length, 2);
    await assert.rejects(
      server.request('textDocument/rename', {
        textDocument: { uri: uri('views.features.yaml') },
        position: at('views.features.yaml', '[customer]', 2),
        newName: 'store',
      }),
      /already exists/,
    );
  });

  it('renames a pipeline param in the monitors that retrain with that pipeline (on_drift.params)', async () => {
    await open('pipelines/retrain.pipeline.yaml', 'mlops-pipeline');
    const edit = await server.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: uri('pipelines/retrain.pipeline.yaml') },
      position: at('pipelines/retrain.pipeline.yaml', 'input_data:', 2),
      newName: 'training_data',
    });
    assert.deepEqual(
      Object.keys(edit.changes!)
        .map((u) => path.relative(root, new URL(u).pathname))
        .sort(),
      ['drift.monitor.yaml', path.join('pipelines', 'retrain.pipeline.yaml')],
    );
    const [monitorEdit] = edit.changes![uri('drift.monitor.yaml')]!;
    assert.deepEqual(monitorEdit!.range.start, at('drift.monitor.yaml', 'input_data', 0));
    assert.equal(monitorEdit!.newText, 'training_data');
    // A param no monitor names stays in the pipeline's file.
    const epochs = await server.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: uri('pipelines/retrain.pipeline.yaml') },
      position: at('pipelines/retrain.pipeline.yaml', 'epochs:', 2),
      newName: 'rounds',
    });
    assert.deepEqual(Object.keys(epochs.changes!), [uri('pipelines/retrain.pipeline.yaml')]);
  });

  it('completes dtypes with Array(...), entity and source names, projection fields and CSV columns', async () => {
    const file = 'scratch.features.yaml';
    const text =
      'feature_views:\n  - name: scratch\n    entities: [cu]\n    source: customer_stats\n    schema:\n      - { name: pla, dtype: In }\nfeature_services:\n  - name: s\n    features:\n      - customer_features: [tot]\n';
    await open(file, 'mlops-features', text);
    const doc = TextDocument.create(uri(file), 'mlops-features', 1, text);
    const labels = async (needle: string, shift: number) =>
      (
        (
          await server.request<CompletionList | null>('textDocument/completion', {
            textDocument: { uri: uri(file) },
            position: doc.positionAt(text.indexOf(needle) + shift),
          })
        )?.items ?? []
      ).map((i) => i.label);
    assert.deepEqual(await labels('[cu]', 3), ['customer', 'store']);
    const dtypes = await labels('dtype: In', 9);
    assert.ok(dtypes.includes('Int64') && dtypes.includes('Array(String)'), dtypes.join(', '));
    assert.deepEqual(await labels('[tot]', 4), ['customer_id', 'total_purchases', 'avg_order_value']);
    const columns = await labels('name: pla', 9);
    assert.ok(columns.includes('plan') && columns.includes('event_timestamp') === false, columns.join(', '));
    assert.deepEqual(await labels('source: customer_stats', 8), ['customer_stats', 'store_stats']);
    await server.close(uri(file));
  });

  it('completes monitor columns from the CSV, drift methods, pipeline files and their params; hovers a column with its type', async () => {
    const file = 'drift.monitor.yaml';
    await open(file, 'mlops-monitor');
    const text = read(file);
    const doc = TextDocument.create(uri(file), 'mlops-monitor', 1, text);
    const complete = async (offset: number) =>
      (
        await server.request<CompletionList | null>('textDocument/completion', {
          textDocument: { uri: uri(file) },
          position: doc.positionAt(offset),
        })
      )?.items ?? [];
    const columns = await complete(text.indexOf('avg_order_value]') + 'avg_order_value'.length);
    assert.ok(
      columns.some((c) => c.label === 'plan'),
      columns.map((c) => c.label).join(', '),
    );
    const methods = await complete(text.indexOf('method: auto') + 'method: '.length);
    assert.deepEqual(
      methods.map((m) => m.label),
      ['auto', 'ks', 'chi2', 'z', 'psi', 'jensen_shannon', 'wasserstein'],
    );
    const pipelines = await complete(text.indexOf('run_pipeline: ') + 'run_pipeline: '.length);
    assert.deepEqual(
      pipelines.map((p) => p.label),
      ['pipelines/retrain.pipeline.yaml'],
    );
    const params = await complete(text.indexOf('{ input_data') + 2);
    assert.deepEqual(
      params.map((p) => p.label),
      ['input_data', 'epochs'],
    );
    const hover = await server.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri(file) },
      position: at(file, 'total_purchases', 2),
    });
    assert.match(
      (hover.contents as { value: string }).value,
      /\*\*column\*\* `total_purchases`: `Int64`\n\ninferred from the first 20 rows of `data\/customers.csv`/,
    );
    const lenses = await server.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(file) } });
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.command, l.command?.arguments]),
      [[0, 'mlops.checkDrift', [uri(file)]]],
    );
    const definition = await server.request<Location>('textDocument/definition', {
      textDocument: { uri: uri(file) },
      position: at(file, 'input_data', 2),
    });
    assert.equal(definition.uri, uri('pipelines/retrain.pipeline.yaml'));
    assert.equal(definition.range.start.line, 3);
  });

  it('revalidates the views of another, closed file when an entity is renamed, and again when it is renamed back', async () => {
    await server.close(uri('views.features.yaml'));
    const entities = read('entities.features.yaml');
    const after = server.published.length;
    await server.replace(uri('entities.features.yaml'), 2, entities.replace('name: customer\n', 'name: customers\n'));
    const broken = await server.diagnostics(
      uri('views.features.yaml'),
      (p) => p.diagnostics.some((d) => d.code === 'unknown-entity'),
      5000,
      after,
    );
    const d = broken.diagnostics.find((x) => x.code === 'unknown-entity')!;
    assert.match(String(d.message), /no entity named `customer` in the workspace; did you mean `customers`\?/);
    assert.equal(d.range.start.line, 2);
    const again = server.published.length;
    await server.replace(uri('entities.features.yaml'), 3, entities);
    await server.diagnostics(uri('views.features.yaml'), (p) => p.diagnostics.length === 0, 5000, again);
  });

  it('reports a duplicate entity across files when a file appears on disk, and forgets it when the file is deleted', async () => {
    const file = path.join(root, 'more.features.yaml');
    writeFileSync(file, 'entities:\n  - name: store\n    join_keys: [store_id]\n');
    const after = server.published.length;
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uri('more.features.yaml'), type: FileChangeType.Created }],
    });
    const dup = await server.diagnostics(
      uri('more.features.yaml'),
      (p) => p.diagnostics.some((x) => x.code === 'duplicate-name'),
      5000,
      after,
    );
    assert.match(String(dup.diagnostics[0]!.message), /entity `store` is also defined in entities.features.yaml:8/);
    const link = dup.diagnostics[0]!.relatedInformation?.[0];
    assert.equal(link?.location.uri, uri('entities.features.yaml'), 'related information links to the other file');
    assert.equal(link?.location.range.start.line, 7);
    await server.diagnostics(uri('entities.features.yaml'), (p) => p.diagnostics.some((x) => x.code === 'duplicate-name'), 5000, after);
    rmSync(file);
    const gone = server.published.length;
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uri('more.features.yaml'), type: FileChangeType.Deleted }],
    });
    await server.diagnostics(uri('more.features.yaml'), (p) => p.diagnostics.length === 0, 5000, gone);
    await server.diagnostics(uri('entities.features.yaml'), (p) => p.diagnostics.length === 0, 5000, gone);
  });

  it('compares schema fields and monitor columns with the data file, and follows changes of the file', async () => {
    const csv = path.join(root, 'data/customers.csv');
    const original = readFileSync(csv, 'utf8');
    writeFileSync(csv, original.replace('avg_order_value', 'mean_order_value'));
    const after = server.published.length;
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(csv).toString(), type: FileChangeType.Changed }],
    });
    const views = await server.diagnostics(
      uri('views.features.yaml'),
      (p) => p.diagnostics.some((x) => x.code === 'column-not-found'),
      5000,
      after,
    );
    const field = views.diagnostics.find((x) => x.code === 'column-not-found')!;
    assert.equal(field.severity, 2);
    assert.match(String(field.message), /`avg_order_value` is not a column of `data\/customers.csv`; did you mean `mean_order_value`\?/);
    const monitor = await server.diagnostics(
      uri('drift.monitor.yaml'),
      (p) => p.diagnostics.some((x) => x.code === 'column-not-found'),
      5000,
      after,
    );
    assert.match(String(monitor.diagnostics[0]!.message), /column `avg_order_value` is not in `data\/customers.csv`/);
    writeFileSync(csv, original);
    const back = server.published.length;
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(csv).toString(), type: FileChangeType.Changed }],
    });
    await server.diagnostics(uri('views.features.yaml'), (p) => p.diagnostics.length === 0, 5000, back);
  });

  it("offers quick fixes for Feast's older spelling and for an invalid dtype", async () => {
    const file = 'legacy.features.yaml';
    const text =
      'feature_views:\n  - name: legacy_view\n    entities: [customer]\n    batch_source: customer_stats\n    features:\n      - Feature(name="total_purchases", dtype=ValueType.INT64)\n      - { name: avg_order_value, dtype: Float }\n';
    await open(file, 'mlops-features', text);
    const { diagnostics } = await server.diagnostics(uri(file), (p) => p.diagnostics.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [
        ['deprecated-key', 4],
        ['deprecated-key', 4],
        ['deprecated-key', 4],
        ['invalid-dtype', 1],
      ],
    );
    const doc = TextDocument.create(uri(file), 'mlops-features', 1, text);
    const edits = [];
    for (const diagnostic of diagnostics) {
      const actions = await server.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: uri(file) },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      const preferred = actions.find((a) => a.isPreferred && a.diagnostics?.[0]?.message === diagnostic.message) ?? actions[0]!;
      edits.push(...preferred.edit!.changes![uri(file)]!);
    }
    const fixed = TextDocument.applyEdits(doc, edits);
    assert.equal(
      fixed,
      'feature_views:\n  - name: legacy_view\n    entities: [customer]\n    source: customer_stats\n    schema:\n      - { name: total_purchases, dtype: Int64 }\n      - { name: avg_order_value, dtype: Float32 }\n',
    );
    await server.replace(uri(file), 2, fixed);
    await server.diagnostics(uri(file), (p) => p.version === 2 && p.diagnostics.length === 0);
    await server.close(uri(file));
  });
});

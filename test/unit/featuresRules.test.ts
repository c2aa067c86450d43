import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  kindInfo,
  parseMlopsDocument,
  summarize,
  validateDocument,
  WorkspaceIndex,
  type DocumentKind,
  type MlopsDiagnostic,
  type ValidationContext,
} from '../../common/src';
import { nodeWorkspaceContext } from '../../common/src/node/workspaceContext';
import { diagnose } from '../helpers/documents';
import { parseMarkers } from '../helpers/markers';

/** The codes found and the ranges marked with « », in order. */
function check(marked: string, kind: DocumentKind = 'features', context: ValidationContext = {}): MlopsDiagnostic[] {
  const { text, ranges } = parseMarkers(marked);
  const found = diagnose(text, kind, context);
  assert.deepEqual(
    found.map((d) => [d.start, d.end]),
    ranges,
    `${JSON.stringify(found.map((d) => [d.code, text.slice(d.start, d.end), d.message]))}`,
  );
  return found;
}

/** Validates `files` (name -> text) together, as the workspace does; returns each file's diagnostics. */
function workspace(files: Record<string, string>, root = '/ws'): Record<string, MlopsDiagnostic[]> {
  const index = new WorkspaceIndex();
  const docs = Object.entries(files).map(([name, text]) => {
    const kind = name.includes('.monitor.') ? 'monitor' : name.includes('.pipeline.') ? 'pipeline' : 'features';
    const uri = pathToFileURL(path.join(root, name)).toString();
    const doc = parseMlopsDocument(TextDocument.create(uri, kindInfo(kind).languageId, 1, text), kind);
    index.set(summarize(doc));
    return [name, doc] as const;
  });
  const context = nodeWorkspaceContext(index);
  return Object.fromEntries(
    docs.map(([name, doc]) => [
      name,
      validateDocument(doc, {
        context,
        onRuleError: (rule, e) => {
          throw new Error(`${rule}: ${String(e)}`);
        },
      }),
    ]),
  );
}

const FIXTURE = path.resolve(__dirname, '../fixtures/features-workspace');

describe('features files: the file by itself', () => {
  it('is clean for the sample spelling, and an empty file has nothing to say', () => {
    assert.deepEqual(
      diagnose(
        'entities:\n  - name: c\n    join_keys: [c_id]\n    value_type: String\nsources:\n  - name: s\n    path: d.csv\nfeature_views:\n  - name: v\n    entities: [c]\n    source: s\n    ttl: 0\n    schema:\n      - { name: a, dtype: Array(Int64) }\n',
        'features',
      ),
      [],
    );
    assert.deepEqual(diagnose('', 'features'), []);
  });

  it('reports unknown and missing keys with did-you-mean, and values of the wrong type', () => {
    const found = check(
      'entities:\n  - name: c\n    «join_key»: [c_id]\nfeature_views:\n  - name: «v»\n    online: «yes»\n    ttl: «30»\n    entities: [c]\n',
    );
    assert.deepEqual(
      found.map((d) => d.code),
      ['unknown-key', 'missing-key', 'type-mismatch', 'invalid-duration'],
    );
    assert.match(found[0]!.message, /did you mean `join_keys`\?/);
    assert.match(found[1]!.message, /feature view `v` is missing the required key `source`/);
    assert.deepEqual(found[2]!.fixes?.[0]?.edits[0]?.newText, 'true');
    assert.deepEqual(found[3]!.fixes?.[0]?.edits[0]?.newText, '30s');
  });

  it("reports a dtype outside the list, with Feast's ValueType spelling turned into ours", () => {
    const found = check(
      'sources:\n  - name: s\n    path: s.csv\nfeature_views:\n  - name: v\n    source: s\n    schema:\n      - { name: a, dtype: «INT64» }\n      - { name: b, dtype: «Flaot32» }\n      - { name: c, dtype: «Array(Strin)» }\n',
    );
    assert.deepEqual(
      found.map((d) => [d.code, d.fixes?.[0]?.edits[0]?.newText]),
      [
        ['invalid-dtype', 'Int64'],
        ['invalid-dtype', 'Float32'],
        ['invalid-dtype', 'Array(String)'],
      ],
    );
  });

  it("hints at Feast's older spelling with fixes that rewrite it", () => {
    const found = check(
      'sources:\n  - name: s\n    path: s.csv\nfeature_views:\n  - name: v\n    «batch_source»: s\n    «features»:\n      - «Feature(name="total", dtype=ValueType.INT64)»\n',
    );
    assert.deepEqual(
      found.map((d) => [d.code, d.severity, d.fixes?.[0]?.edits[0]?.newText]),
      [
        ['deprecated-key', 'hint', 'source'],
        ['deprecated-key', 'hint', 'schema'],
        ['deprecated-key', 'hint', '{ name: total, dtype: Int64 }'],
      ],
    );
    assert.deepEqual(
      found.map((d) => d.message),
      [
        "`batch_source` is Feast's older spelling; use `source`",
        "`features` is Feast's older spelling; use `schema`",
        '`Feature(name="total", dtype=ValueType.INT64)` is Feast\'s older spelling of a field; write `{ name: total, dtype: Int64 }`',
      ],
    );
  });

  it('requires exactly one join key, and a field twice in one view is a duplicate name', () => {
    const found = check(
      'entities:\n  - name: c\n    join_keys: «[a, b]»\nsources:\n  - name: s\n    path: s.csv\nfeature_views:\n  - name: v\n    source: s\n    schema:\n      - { name: a, dtype: Int64 }\n      - { name: «a», dtype: Int64 }\n',
    );
    assert.deepEqual(
      found.map((d) => d.code),
      ['type-mismatch', 'duplicate-name'],
    );
    assert.match(found[1]!.message, /field `a` is defined twice in feature view `v`; the first is on line 11/);
  });

  it('resolves references within the file when it stands alone', () => {
    const found = check(
      'entities:\n  - name: customer\n    join_keys: [customer_id]\n    value_type: String\nfeature_views:\n  - name: v\n    entities: [customer]\n    source: «nowhere»\n    schema:\n      - { name: customer_id, dtype: «Int64» }\n  - name: w\n    entities: [«custmer»]\n    source: «nowhere»\nfeature_services:\n  - name: s\n    features:\n      - v: [customer_id, «nope»]\n      - «ghost»\n',
    );
    assert.deepEqual(
      found.map((d) => d.code),
      ['unknown-source', 'join-key-type', 'unknown-entity', 'unknown-source', 'unknown-feature', 'unknown-feature-view'],
    );
    assert.match(found[2]!.message, /no entity named `custmer` in the workspace; did you mean `customer`\?/);
    assert.match(found[1]!.message, /`customer_id` is the join key of entity `customer`, whose type is `String`, not `Int64`/);
  });
});

describe('features files across the workspace', () => {
  it('resolves entities, sources and views in other files, and reports names defined twice in the workspace', () => {
    const out = workspace({
      'a.features.yaml': 'entities:\n  - name: customer\nsources:\n  - name: stats\n    path: x.csv\n',
      'b.features.yaml':
        'entities:\n  - name: customer\nfeature_views:\n  - name: v\n    entities: [customer]\n    source: stats\n    schema:\n      - { name: f, dtype: Int64 }\n',
      'c.features.yaml': 'feature_services:\n  - name: svc\n    features:\n      - v: [f]\n',
    });
    assert.deepEqual(out['c.features.yaml'], []);
    assert.deepEqual(
      out['a.features.yaml']!.map((d) => [d.code, d.message]),
      [
        ['duplicate-name', 'entity `customer` is also defined in b.features.yaml:2; names are unique across the workspace'],
        ['missing-file', "`x.csv` does not exist (relative to this file's folder)"],
      ],
    );
    assert.deepEqual(
      out['b.features.yaml']!.map((d) => d.code),
      ['duplicate-name'],
    );
    // The other definition as related information in the other file, which the editor links to.
    const [related] = out['a.features.yaml']![0]!.related!;
    assert.match(related!.elsewhere!.uri, /b\.features\.yaml$/);
    assert.deepEqual(related!.elsewhere!.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 18 } });
    assert.equal(related!.message, 'the other entity `customer`');
  });

  it('compares timestamp and schema fields with the CSV header and the Parquet schema, after field_mapping', () => {
    const out = workspace(
      {
        'defs.features.yaml':
          'sources:\n  - name: customers\n    path: data/customers.csv\n    timestamp_field: event_time\n  - name: stores\n    path: data/stores.parquet\n    timestamp_field: ts\n    field_mapping: { city: store_city }\n',
        'views.features.yaml':
          'feature_views:\n  - name: c\n    source: customers\n    schema:\n      - { name: total_purchases, dtype: Int64 }\n      - { name: total_purchase, dtype: Int64 }\n  - name: s\n    source: stores\n    schema:\n      - { name: store_city, dtype: String }\n      - { name: revenue, dtype: Float64 }\n      - { name: profit, dtype: Float64 }\n',
      },
      FIXTURE,
    );
    assert.deepEqual(
      out['defs.features.yaml']!.map((d) => [d.code, d.severity, d.message]),
      [['column-not-found', 'warning', '`event_time` is not a column of `data/customers.csv`; did you mean `event_timestamp`?']],
    );
    assert.deepEqual(
      out['views.features.yaml']!.map((d) => d.message),
      [
        '`total_purchase` is not a column of `data/customers.csv`; did you mean `total_purchases`?',
        '`profit` is not a column of `data/stores.parquet`; its columns: `store_id`, `ts`, `revenue`, `open`, `city`, `store_city`',
      ],
    );
  });

  it('checks the timestamp field of an unnamed inline source, in the older batch_source spelling as in source', () => {
    for (const key of ['batch_source', 'source']) {
      const out = workspace(
        {
          'old.features.yaml': `feature_views:\n  - name: c\n    ${key}:\n      path: data/customers.csv\n      timestamp_field: event_time\n    schema:\n      - { name: total_purchases, dtype: Int64 }\n`,
        },
        FIXTURE,
      );
      const found = out['old.features.yaml']!.filter((d) => d.code === 'column-not-found');
      assert.deepEqual(
        found.map((d) => d.message),
        ['`event_time` is not a column of `data/customers.csv`; did you mean `event_timestamp`?'],
        key,
      );
    }
  });
});

describe('monitor files', () => {
  it('reports unknown methods, keys and both stage and alias; an empty monitor only misses nothing but `monitor`', () => {
    const found = check(
      'monitor: m\nstage: Production\n«alias»: champion\ndata_drift:\n  method: «kss»\n  «treshold»: 0.1\n  dataset_drift_share: «2»\n',
      'monitor',
    );
    assert.deepEqual(
      found.map((d) => d.code),
      ['type-mismatch', 'unknown-method', 'unknown-key', 'type-mismatch'],
    );
    assert.match(found[1]!.message, /unknown drift method `kss`; did you mean `ks`\?/);
    assert.deepEqual(
      diagnose('description: x\n', 'monitor').map((d) => d.code),
      ['missing-key'],
    );
  });

  it('checks the pipeline, its params and the columns of reference and every current file', () => {
    const out = workspace(
      {
        'm.monitor.yaml':
          'monitor: m\nreference: data/customers.csv\ncurrent: data/incoming/*.csv\ncolumns: [total_purchases, avg_ordr_value]\non_drift:\n  run_pipeline: pipelines/retrain.pipeline.yaml\n  params: { input_data: x, epoch: 2 }\n',
        'pipelines/retrain.pipeline.yaml':
          'pipeline: retrain\nparams:\n  input_data: { type: path, default: x }\n  epochs: 10\nsteps:\n  a:\n    run: echo ${{ params.input_data }} ${{ params.epochs }}\n',
        'n.monitor.yaml': 'monitor: n\nreference: data/nothing.csv\non_drift:\n  run_pipeline: missing.pipeline.yaml\n',
        'o.monitor.yaml': 'monitor: o\non_drift:\n  run_pipeline: notes.yaml\n',
      },
      FIXTURE,
    );
    assert.deepEqual(
      out['m.monitor.yaml']!.map((d) => [d.code, d.message]),
      [
        [
          'column-not-found',
          'column `avg_ordr_value` is not in `data/customers.csv`, `data/incoming/batch-1.csv`; did you mean `avg_order_value`?',
        ],
        ['unknown-param', 'pipeline `retrain` has no param `epoch`; did you mean `epochs`?'],
      ],
    );
    assert.deepEqual(
      out['n.monitor.yaml']!.map((d) => d.code),
      ['missing-file', 'unknown-pipeline'],
    );
    assert.match(out['o.monitor.yaml']![0]!.message, /`notes.yaml` is not a pipeline file/);
  });
});

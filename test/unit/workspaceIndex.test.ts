import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kindInfo, parseMlopsDocument, summarize, WorkspaceIndex, type DocumentKind } from '../../common/src';
import { formatCursor } from '../../common/src/yaml/cursor';
import { inferType, readDataColumns } from '../../common/src/node/dataColumns';
import { parse } from '../helpers/documents';
import { writeStoresParquet } from '../helpers/parquetFixture';

function summary(name: string, text: string) {
  const kind: DocumentKind = name.includes('.monitor.') ? 'monitor' : name.includes('.pipeline.') ? 'pipeline' : 'features';
  return summarize(parseMlopsDocument(TextDocument.create(`file:///ws/${name}`, kindInfo(kind).languageId, 1, text), kind));
}

describe('the workspace index', () => {
  const entities = 'entities:\n  - name: customer\n    join_keys: [customer_id]\n    value_type: String\n';
  const views = (n: number) => `feature_views:\n  - name: v${n}\n    entities: [customer]\n    source: s\n`;

  it('answers which files to validate again: users of a changed definition and files defining the same name, nothing for an unchanged one', () => {
    const index = new WorkspaceIndex();
    index.set(summary('e.features.yaml', entities));
    for (let n = 0; n < 3; n++) index.set(summary(`v${n}.features.yaml`, views(n)));
    index.set(summary('other.features.yaml', 'entities:\n  - name: store\n'));
    assert.deepEqual([...index.set(summary('e.features.yaml', `# a comment\n${entities}`))], [], 'the same definitions');
    assert.deepEqual([...index.set(summary('e.features.yaml', entities.replace('String', 'Int64')))].sort(), [
      'file:///ws/v0.features.yaml',
      'file:///ws/v1.features.yaml',
      'file:///ws/v2.features.yaml',
    ]);
    assert.deepEqual([...index.set(summary('dup.features.yaml', 'entities:\n  - name: store\n'))], ['file:///ws/other.features.yaml']);
    assert.deepEqual([...index.delete('file:///ws/dup.features.yaml')], ['file:///ws/other.features.yaml']);
    assert.deepEqual(index.users('entity', 'customer').length, 3);
    assert.equal(index.didYouMean('entity', 'custmer'), '; did you mean `customer`?');
  });

  it('ties a monitor to its pipeline and its data files', () => {
    const index = new WorkspaceIndex();
    index.set(
      summary('m.monitor.yaml', 'monitor: m\nreference: data/r.csv\ncurrent: data/in/*.csv\non_drift:\n  run_pipeline: p.pipeline.yaml\n'),
    );
    index.set(summary('g.monitor.yaml', 'monitor: g\nreference: data/other.csv\n'));
    assert.deepEqual(
      [...index.set(summary('p.pipeline.yaml', 'pipeline: p\nparams:\n  a: 1\nsteps:\n  s:\n    run: x\n'))],
      ['file:///ws/m.monitor.yaml'],
    );
    assert.deepEqual(
      index.pipelineAt('/ws/p.pipeline.yaml')?.def.params.map((p) => [p.name, p.type]),
      [['a', 'int']],
    );
    assert.deepEqual([...index.dataDependents('/ws/data/r.csv')], ['file:///ws/m.monitor.yaml']);
    assert.deepEqual([...index.dataDependents('/ws/data/in/new.csv')], ['file:///ws/m.monitor.yaml'], 'a glob may match any new file');
  });
});

describe('data file columns', () => {
  it('reads a CSV header and infers types from the first rows; a Parquet footer with its schema types; caches by mtime', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-cols-'));
    try {
      const csv = path.join(dir, 'a.csv');
      writeFileSync(csv, '\uFEFFid,"name, full",score,ok,when\n1,"Smith, J",0.5,true,2024-01-01\n2,Doe,,false,2024-01-02T10:00:00Z\n');
      assert.deepEqual(readDataColumns(csv), {
        format: 'csv',
        inferred: true,
        columns: [
          { name: 'id', type: 'Int64' },
          { name: 'name, full', type: 'String' },
          { name: 'score', type: 'Float64' },
          { name: 'ok', type: 'Bool' },
          { name: 'when', type: 'UnixTimestamp' },
        ],
      });
      writeFileSync(csv, 'x,y\n1,2\n');
      utimesSync(csv, new Date(), new Date(Date.now() + 5000));
      assert.deepEqual(
        readDataColumns(csv)?.columns.map((c) => c.name),
        ['x', 'y'],
        'read again after a change',
      );
      const parquet = path.join(dir, 's.parquet');
      writeStoresParquet(parquet);
      assert.deepEqual(readDataColumns(parquet), {
        format: 'parquet',
        inferred: false,
        columns: [
          { name: 'store_id', type: 'Int64' },
          { name: 'ts', type: 'UnixTimestamp' },
          { name: 'revenue', type: 'Float64' },
          { name: 'open', type: 'Bool' },
          { name: 'city', type: 'String' },
        ],
      });
      writeFileSync(path.join(dir, 'bad.parquet'), 'not parquet');
      assert.equal(readDataColumns(path.join(dir, 'bad.parquet')), undefined);
      assert.equal(readDataColumns(path.join(dir, 'none.csv')), undefined);
      assert.equal(inferType(['1', '', '2']), 'Int64');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the features and monitor cursor', () => {
  const at = (marked: string) => formatCursor(parse(marked.replace('|', ''), 'features'), marked.indexOf('|'));
  it('finds the path, the key and the token in block and flow places', () => {
    assert.deepEqual(at('feature_views:\n  - name: v\n    entities: [customer, |]'), {
      dash: false,
      flow: true,
      path: ['feature_views', '[]'],
      at: 'item',
      key: 'entities',
      hasColon: false,
      prefix: '',
      range: { start: 52, end: 52 },
    });
    const field = at('feature_views:\n  - name: v\n    schema:\n      - { name: x, dtype: In| }')!;
    assert.deepEqual([field.path, field.at, field.key, field.prefix], [['feature_views', '[]', 'schema', '[]'], 'value', 'dtype', 'In']);
    const compact = at('entities:\n- name: c\n  value_type: |')!;
    assert.deepEqual([compact.path, compact.at, compact.key], [['entities', '[]'], 'value', 'value_type']);
    const item = at('feature_services:\n  - name: s\n    features:\n      - |')!;
    assert.deepEqual([item.path, item.at, item.dash], [['feature_services', '[]', 'features', '[]'], 'key', true]);
    assert.equal(at('# a comment |'), undefined);
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatBytes } from '../../common/src/text/bytes';
import { artifactKind, isLargeArtifact, LARGE_ARTIFACT_BYTES } from '../../client/src/core/artifacts/artifactKinds';
import { exampleTable, parseMlModel, readModelFolder } from '../../client/src/core/artifacts/mlmodel';
import { artifactTransfer } from '../../client/src/core/tracking/remote/artifacts';
import { remoteArtifactEntries } from '../../client/src/core/views/runDetails';

const MODEL = path.join(__dirname, '../fixtures/mlmodel/model');
const MINIMAL = path.join(__dirname, '../fixtures/mlruns/mlruns/298096208762061827/d69701c68b3e48a1a959746f95bb09a6/artifacts/model');

/** Reads files of a model folder as the panel does; undefined when one is missing. */
const folder =
  (dir: string) =>
  async (relative: string): Promise<Uint8Array | undefined> => {
    try {
      return await readFile(path.join(dir, relative));
    } catch {
      return undefined;
    }
  };

describe('artifact kinds', () => {
  it('opens images in the image preview, text as documents, MLmodel in the model panel', () => {
    for (const name of ['feature_importance.png', 'plots/roc.JPG', 'a.jpeg', 'b.svg', 'c.gif'])
      assert.equal(artifactKind(name), 'image', name);
    for (const name of ['metrics.json', 'conf/params.yaml', 'x.yml', 'notes.txt', 'data/sample.csv', 'README.md', 'logs/train.log'])
      assert.equal(artifactKind(name), 'text', name);
    assert.equal(artifactKind('model/MLmodel'), 'model');
    assert.equal(artifactKind('MLmodel'), 'model');
    assert.equal(artifactKind('model/model.pkl'), 'file');
    assert.equal(artifactKind('model/mlmodel.bak'), 'file');
    assert.equal(artifactKind('.png'), 'file', 'a dot file is not an image');
  });

  it('asks before files over 50 MB only', () => {
    assert.equal(isLargeArtifact(undefined), false);
    assert.equal(isLargeArtifact(LARGE_ARTIFACT_BYTES), false);
    assert.equal(isLargeArtifact(LARGE_ARTIFACT_BYTES + 1), true);
    assert.equal(formatBytes(812), '812 B');
    assert.equal(formatBytes(3.4 * 1024), '3.4 KB');
    assert.equal(formatBytes(61.25 * 1024 * 1024), '61.3 MB');
    assert.equal(formatBytes(150 * 1024 * 1024 * 1024), '150 GB');
  });
});

describe('artifact sizes from a tracking server', () => {
  it("keeps artifacts/list's file_size (a number or an int64 string), so a large file asks before it is downloaded", async () => {
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          files: [
            { path: 'plots/roc.png', is_dir: false, file_size: '73400320' },
            { path: 'plots/small.csv', is_dir: false, file_size: 12 },
            { path: 'plots/model', is_dir: true },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const entries = await remoteArtifactEntries(artifactTransfer(base, undefined), 'r1', 'mlflow-artifacts:/0/r1/artifacts', 'plots');
      assert.deepEqual(
        entries.map((e) => [e.path, e.isDir, e.size]),
        [
          ['plots/model', true, undefined],
          ['plots/roc.png', false, 73_400_320],
          ['plots/small.csv', false, 12],
        ],
      );
      assert.equal(isLargeArtifact(entries[1]!.size), true);
      assert.match(asked[0]!, /^\/api\/2\.0\/mlflow\/artifacts\/list\?run_id=r1&path=plots$/);
    } finally {
      server.close();
    }
  });
});

describe('MLmodel files', () => {
  it('reads flavors, the signature and the input example of a scikit-learn model as MLflow 2.12 writes it', async () => {
    const view = await readModelFolder(folder(MODEL), 'model', MODEL);
    const { model } = view;
    assert.deepEqual(
      model.flavors.map((f) => f.name),
      ['python_function', 'sklearn'],
    );
    const pyfunc = new Map(model.flavors[0]!.settings);
    assert.equal(pyfunc.get('loader_module'), 'mlflow.sklearn');
    assert.equal(pyfunc.get('env.conda'), 'conda.yaml', 'nested settings are flattened one level');
    assert.equal(new Map(model.flavors[1]!.settings).get('code'), 'null');
    assert.equal(model.mlflowVersion, '2.12.2');
    assert.equal(model.runId, 'd69701c68b3e48a1a959746f95bb09a6');
    assert.equal(model.sizeBytes, 1185);
    assert.deepEqual(model.signature?.inputs, [
      { name: 'tenure', type: 'double', optional: false },
      { name: 'monthly_charges', type: 'double', optional: false },
      { name: 'contract', type: 'string', optional: true },
    ]);
    assert.deepEqual(model.signature?.outputs, [{ name: '', type: 'long', optional: false }]);
    assert.deepEqual(model.signature?.params, []);
    assert.deepEqual(model.inputExample, { path: 'input_example.json', type: 'dataframe' });
    assert.ok(view.example && 'table' in view.example);
    assert.deepEqual(view.example.table, {
      columns: ['tenure', 'monthly_charges', 'contract'],
      rows: [
        ['12', '70.35', 'month-to-month'],
        ['48', '99.5', 'two-year'],
      ],
      total: 2,
    });
  });

  it('shows a model without signature or example, and says why a named example is missing', async () => {
    const view = await readModelFolder(folder(MINIMAL), 'model', MINIMAL);
    assert.equal(view.model.signature, undefined);
    assert.equal(view.example, undefined);
    assert.equal(view.exampleProblem, undefined);
    const text = await readFile(path.join(MODEL, 'MLmodel'), 'utf8');
    const missing = await readModelFolder(async (r) => (r === 'MLmodel' ? Buffer.from(text) : undefined), 'model', 'run x: model');
    assert.match(missing.exampleProblem ?? '', /input_example\.json, which is not in the folder/);
  });

  it('reads tensor specs, params with defaults and nested array types', () => {
    const model = parseMlModel(
      [
        'flavors: {pytorch: {pytorch_version: 2.3.0}}',
        'signature:',
        '  inputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 28, 28]}}]\'',
        '  outputs: \'[{"type": "array", "items": {"type": "long"}, "name": "ids"}]\'',
        '  params: \'[{"name": "temperature", "type": "float", "default": 0.5, "shape": null}]\'',
      ].join('\n'),
      'MLmodel',
    );
    assert.deepEqual(model.signature?.inputs, [{ name: '', type: 'tensor float32', optional: false, shape: '(-1, 28, 28)' }]);
    assert.deepEqual(model.signature?.outputs, [{ name: 'ids', type: 'array<long>', optional: false }]);
    assert.deepEqual(model.signature?.params, [{ name: 'temperature', type: 'float', optional: true, default: '0.5' }]);
  });

  it('names the file in its errors', async () => {
    assert.throws(() => parseMlModel('flavors: [', 'run 1: model/MLmodel'), /run 1: model\/MLmodel is not valid YAML/);
    assert.throws(() => parseMlModel('artifact_path: model', 'm/MLmodel'), /m\/MLmodel has no flavors/);
    assert.throws(() => parseMlModel("flavors: {}\nsignature: {inputs: '[oops'}", 'm/MLmodel'), /m\/MLmodel: signature.inputs is not JSON/);
    await assert.rejects(
      readModelFolder(async () => undefined, 'x', 'run 1: plots'),
      /run 1: plots has no MLmodel file/,
    );
  });

  it('turns split, records, columns and serving examples into tables, and leaves other JSON as text', async () => {
    assert.deepEqual(exampleTable([{ a: 1, b: 'x' }, { a: 2 }]), {
      columns: ['a', 'b'],
      rows: [
        ['1', 'x'],
        ['2', ''],
      ],
      total: 2,
    });
    assert.deepEqual(exampleTable({ a: [1, 2], b: [true, null] }), {
      columns: ['a', 'b'],
      rows: [
        ['1', 'true'],
        ['2', ''],
      ],
      total: 2,
    });
    assert.deepEqual(exampleTable({ dataframe_split: { columns: ['x'], data: [[1], [2], [3]] } }, 2), {
      columns: ['x'],
      rows: [['1'], ['2']],
      total: 3,
    });
    assert.equal(exampleTable({ inputs: { x: 1 } }), undefined);
    assert.equal(exampleTable('text'), undefined);
    const text = await readModelFolder(
      async (r) =>
        r === 'MLmodel' ? Buffer.from('flavors: {onnx: {}}') : r === 'input_example.json' ? Buffer.from('{"inputs": [[1, 2]]}') : undefined,
      'model',
      'model',
    );
    assert.deepEqual(text.example, { path: 'input_example.json', text: '{"inputs": [[1, 2]]}', truncated: false });
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type MarkupContent,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PIPELINE_KEYS } from '../../common/src';
import { RegisteredModelsNotification } from '../../common/src/protocol/lspMessages';
import { LspServer } from '../helpers/lspServer';
import { parseMarkers } from '../helpers/markers';

/**
 * Completion over the real server process. `‸` marks the cursor; `«»` marks
 * the range the items must replace, where a test checks it.
 */
describe('language server completion (real server over stdio)', () => {
  let server: LspServer;
  let folder: string;
  let count = 0;

  before(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'mlops-completion-'));
    for (const dir of ['data', 'steps', 'node_modules/x', '.git', '.venv', 'models'])
      mkdirSync(path.join(folder, dir), { recursive: true });
    for (const file of ['data/train.csv', 'data/test.csv', 'steps/prep.py', 'steps/train.py', 'README.md'])
      writeFileSync(path.join(folder, file), 'x');
    mkdirSync(path.join(folder, 'sub/work/in'), { recursive: true });
    writeFileSync(path.join(folder, 'sub/work/in/w.csv'), 'x');
    server = await LspServer.start();
  });
  after(async () => {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  interface Answer {
    readonly list: CompletionList | null;
    readonly items: CompletionItem[];
    readonly labels: string[];
    /** The `«»` range, as an LSP range. */
    readonly expected?: Range;
    readonly doc: TextDocument;
  }

  async function complete(marked: string): Promise<Answer> {
    const caret = marked.indexOf('‸');
    assert.ok(caret >= 0, 'no ‸');
    const offset = caret - (marked.slice(0, caret).match(/[«»]/g)?.length ?? 0);
    const { text, ranges } = parseMarkers(marked.replace('‸', ''));
    const uri = pathToFileURL(path.join(folder, `c${++count}.pipeline.yaml`)).href;
    const doc = TextDocument.create(uri, 'mlops-pipeline', 1, text);
    await server.open(uri, 'mlops-pipeline', text);
    const result = await server.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri },
      position: doc.positionAt(offset),
      context: { triggerKind: 1 },
    });
    await server.close(uri);
    const list = Array.isArray(result) ? { isIncomplete: false, items: result } : result;
    const items = list?.items ?? [];
    const [first] = ranges;
    return {
      list,
      items,
      labels: items.map((i) => i.label),
      doc,
      ...(first ? { expected: { start: doc.positionAt(first[0]), end: doc.positionAt(first[1]) } } : {}),
    };
  }

  const edit = (item: CompletionItem): TextEdit => {
    assert.ok(item.textEdit && 'range' in item.textEdit, `${item.label} has a textEdit with a range`);
    return item.textEdit;
  };
  const keysOf = (context: keyof typeof PIPELINE_KEYS, without: string[] = []) =>
    PIPELINE_KEYS[context].map((k) => k.key).filter((k) => !without.includes(k));

  const PIPELINE = [
    'pipeline: churn',
    'params:',
    '  input_data: { type: path, default: data/churn.csv }',
    '  epochs: { type: int, default: 300, description: Passes over the data }',
    'env:',
    '  A: "1"',
    'steps:',
    '  prep:',
    '    run: python prep.py',
    '    outputs:',
    '      train: data/train.csv',
    '      test: { path: data/test.csv, type: file }',
    '  train:',
    '    run: python train.py ${{ steps.prep.outputs.train }}',
    '    outputs:',
    '      model: { path: models/model.pkl, type: model }',
    '  evaluate:',
    '    needs: [train]',
    '    run: python evaluate.py',
    '    outputs:',
    '      metrics: { path: reports/metrics.json, type: metrics }',
    '  report:',
    '    run: python report.py',
    '',
  ].join('\n');
  /** The pipeline with `line` put in after the line that starts with `anchor`. */
  const withLine = (anchor: string, line: string) =>
    PIPELINE.replace(new RegExp(`^${anchor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*$`, 'm'), (m) => `${m}\n${line}`);

  describe('keys', () => {
    it('offers step keys with docs and snippets on a blank line under a step, leaving out present keys', async () => {
      const { items, labels, list } = await complete(withLine('    run: python report.py', '    ‸'));
      assert.equal(list?.isIncomplete, false);
      assert.deepEqual(labels, keysOf('step', ['run']));
      const needs = items.find((i) => i.label === 'needs')!;
      assert.equal(needs.kind, CompletionItemKind.Property);
      assert.equal(needs.insertTextFormat, InsertTextFormat.Snippet);
      assert.equal(edit(needs).newText, 'needs: [${1}]');
      assert.equal((needs.documentation as MarkupContent).kind, 'markdown');
      assert.match((needs.documentation as MarkupContent).value, /must finish first/);
      assert.equal(edit(items.find((i) => i.label === 'outputs')!).newText, 'outputs:\n  ${1:name}: ${2:path}');
    });

    it('offers top-level keys at column 0, leaving out present ones', async () => {
      const { labels } = await complete(`${PIPELINE}‸`);
      assert.deepEqual(labels, keysOf('top', ['pipeline', 'params', 'env', 'steps']));
      const empty = await complete('‸');
      assert.deepEqual(empty.labels, keysOf('top'));
      const required = empty.items.find((i) => i.label === 'pipeline')!;
      assert.equal(required.detail, 'required');
    });

    it('replaces the typed part of a key (textEdit range) and only renames a key that has its colon', async () => {
      const typed = await complete(withLine('    run: python report.py', '    «ne‸»'));
      assert.deepEqual(typed.labels, keysOf('step', ['run']));
      for (const item of typed.items) assert.deepEqual(edit(item).range, typed.expected, item.label);
      const existing = await complete(withLine('    run: python report.py', '    «ti‸meout»: 30m'));
      const timeout = existing.items.find((i) => i.label === 'timeout')!;
      assert.deepEqual(edit(timeout), { range: existing.expected, newText: 'timeout' });
      assert.equal(timeout.insertTextFormat, InsertTextFormat.PlainText);
    });

    it('offers param spec keys in flow and block maps', async () => {
      const flow = await complete(withLine('params:', '  seed: { type: int, ‸ }'));
      assert.deepEqual(flow.labels, keysOf('param', ['type']));
      assert.equal(edit(flow.items.find((i) => i.label === 'enum')!).newText, 'enum: [${1}]');
      const typed = await complete(withLine('params:', '  seed: { «de‸» }'));
      assert.deepEqual(typed.labels, keysOf('param'));
      assert.deepEqual(edit(typed.items[0]!).range, typed.expected);
      const block = await complete(withLine('params:', '  seed:\n    default: 1\n    ‸'));
      assert.deepEqual(block.labels, keysOf('param', ['default']));
    });

    it('offers output spec, register and resources keys', async () => {
      const output = await complete(
        withLine('      model: { path: models/model.pkl, type: model }', '      other:\n        path: x\n        ‸'),
      );
      assert.deepEqual(output.labels, keysOf('output', ['path']));
      const flowOutput = await complete(withLine('      model: { path: models/model.pkl, type: model }', '      other: { path: x, ‸ }'));
      assert.deepEqual(flowOutput.labels, keysOf('output', ['path']));
      const register = await complete(`${PIPELINE}register:\n  model: m\n  ‸`);
      assert.deepEqual(register.labels, keysOf('register', ['model']));
      const resources = await complete(`${PIPELINE}    resources:\n      cpu: 1\n      ‸`);
      assert.deepEqual(resources.labels, keysOf('resources', ['cpu']));
    });

    it('offers nothing for the names of steps, params and outputs', async () => {
      assert.equal((await complete(withLine('steps:', '  ‸'))).items.length, 0);
      assert.equal((await complete(withLine('params:', '  ‸'))).items.length, 0);
    });
  });

  describe('enum values', () => {
    it('offers param types, output types, stages and cache flags', async () => {
      const param = await complete(withLine('params:', '  seed: { type: «i‸», default: 1 }'));
      assert.deepEqual(param.labels, ['string', 'int', 'float', 'bool', 'path']);
      assert.deepEqual(edit(param.items[1]!), { range: param.expected, newText: 'int' });
      const output = await complete(withLine('      model: { path: models/model.pkl, type: model }', '      other: { path: x, type: ‸ }'));
      assert.deepEqual(output.labels, ['file', 'dir', 'metrics', 'model']);
      const blockOutput = await complete(withLine('      model: { path: models/model.pkl, type: model }', '      other:\n        type: ‸'));
      assert.deepEqual(blockOutput.labels, ['file', 'dir', 'metrics', 'model']);
      const stage = await complete(`${PIPELINE}register:\n  stage: ‸`);
      assert.deepEqual(stage.labels, ['None', 'Staging', 'Production', 'Archived']);
      const cache = await complete(withLine('    run: python report.py', '    cache: ‸'));
      assert.deepEqual(cache.labels, ['true', 'false']);
    });

    it('puts a space after a bare colon', async () => {
      const { items } = await complete(withLine('params:', '  seed:\n    type:‸'));
      assert.equal(edit(items[0]!).newText, ' string');
    });
  });

  describe('needs', () => {
    it('offers step ids in a flow list, leaving out the step, its dependents and listed steps', async () => {
      // prep -> train (data) -> evaluate (needs); `train` cannot need evaluate (cycle) nor itself.
      const own = await complete(withLine('  train:', '    needs: [‸]'));
      assert.deepEqual(own.labels.sort(), ['prep', 'report']);
      const listed = await complete(withLine('  report:', '    needs: [prep, ‸]'));
      assert.deepEqual(listed.labels.sort(), ['evaluate', 'train']);
      const typed = await complete(withLine('  report:', '    needs: [prep, «tr‸»]'));
      assert.ok(typed.labels.includes('train'));
      assert.deepEqual(edit(typed.items.find((i) => i.label === 'train')!), { range: typed.expected, newText: 'train' });
    });

    it('offers step ids in a block list and in the scalar form', async () => {
      const block = await complete(withLine('  report:', '    needs:\n      - evaluate\n      - ‸'));
      assert.deepEqual(block.labels.sort(), ['prep', 'train']);
      const scalar = await complete(withLine('  report:', '    needs: ‸'));
      assert.deepEqual(scalar.labels.sort(), ['evaluate', 'prep', 'train']);
      const prep = await complete(withLine('  prep:', '    needs: ‸'));
      assert.deepEqual(prep.labels.sort(), ['report'], 'everything else depends on prep');
    });
  });

  describe('expressions', () => {
    it('offers the roots in a step, with `outputs` and without `metrics`, also right after `${{`', async () => {
      const roots = ['params', 'steps', 'outputs', 'run', 'pipeline', 'env'];
      assert.deepEqual((await complete(withLine('  report:', '    env: { X: "${{ ‸ }}" }'))).labels, roots);
      const bare = await complete(PIPELINE.replace('python report.py', 'python report.py ${{‸'));
      assert.deepEqual(bare.labels, roots);
      const typed = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ «st‸»'));
      assert.deepEqual(edit(typed.items.find((i) => i.label === 'steps')!), { range: typed.expected, newText: 'steps' });
    });

    it('offers `metrics` only in register.when, and no `outputs` outside a step', async () => {
      const when = await complete(`${PIPELINE}register:\n  when: \${{ metrics.auc >= 0.9 && ‸ }}`);
      assert.deepEqual(when.labels, ['params', 'steps', 'run', 'pipeline', 'env', 'metrics']);
      const from = await complete(`${PIPELINE}register:\n  from: \${{ ‸`);
      assert.deepEqual(from.labels, ['params', 'steps', 'run', 'pipeline', 'env']);
      const topEnv = await complete(withLine('env:', '  B: ${{ ‸'));
      assert.deepEqual(topEnv.labels, ['params', 'steps', 'run', 'pipeline', 'env']);
    });

    it('offers param names with type and default', async () => {
      const { items, expected } = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ params.«ep‸» }}'));
      assert.deepEqual(
        items.map((i) => i.label),
        ['input_data', 'epochs'],
      );
      const epochs = items[1]!;
      assert.equal(epochs.detail, 'int = 300');
      assert.equal(epochs.documentation, 'Passes over the data');
      assert.deepEqual(edit(epochs), { range: expected, newText: 'epochs' });
    });

    it('offers step ids without the step itself and its dependents', async () => {
      const inTrain = await complete(PIPELINE.replace('python train.py ${{ steps.prep.outputs.train }}', 'python train.py ${{ steps.‸'));
      assert.deepEqual(inTrain.labels.sort(), ['prep', 'report'], 'evaluate needs train');
      const inRegister = await complete(`${PIPELINE}register:\n  from: \${{ steps.‸`);
      assert.deepEqual(inRegister.labels.sort(), ['evaluate', 'prep', 'report', 'train']);
    });

    it('offers `outputs` after a step id, then its outputs with path and type', async () => {
      const field = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ steps.train.‸'));
      assert.deepEqual(field.labels, ['outputs']);
      const outputs = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ steps.prep.outputs.«t‸» }}'));
      assert.deepEqual(outputs.labels, ['train', 'test']);
      assert.equal(outputs.items[0]!.detail, 'data/train.csv (file)');
      assert.deepEqual(edit(outputs.items[1]!).range, outputs.expected);
      const model = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ steps.train.outputs.‸'));
      assert.deepEqual([model.labels, model.items[0]!.detail], [['model'], 'models/model.pkl (model)']);
    });

    it("offers the current step's own outputs, run fields, pipeline fields and env names", async () => {
      const own = await complete(PIPELINE.replace('python evaluate.py', 'python evaluate.py ${{ outputs.‸ }}'));
      assert.deepEqual(own.labels, ['metrics']);
      const run = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ run.‸'));
      assert.deepEqual(run.labels, ['id', 'dir']);
      const pipeline = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ pipeline.‸'));
      assert.deepEqual(pipeline.labels, ['name']);
      const env = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ env.‸'));
      assert.deepEqual(env.labels, ['A']);
    });

    it('offers nothing where expressions are not evaluated', async () => {
      const workdir = await complete(withLine('  report:', '    workdir: ${{ params.‸'));
      assert.equal(workdir.items.length, 0);
      const closed = await complete(PIPELINE.replace('python report.py', 'python report.py ${{ params.epochs }} ‸'));
      assert.equal(closed.items.length, 0);
    });
  });

  describe('file paths', () => {
    it("lists the pipeline folder's entries in inputs, folders first with `/` and a re-trigger, skipping ignored folders", async () => {
      const { items, labels } = await complete(withLine('  report:', '    inputs: [‸]'));
      assert.deepEqual(labels, ['data/', 'models/', 'steps/', 'sub/', 'README.md']);
      const data = items[0]!;
      assert.equal(data.kind, CompletionItemKind.Folder);
      assert.deepEqual(data.command, { title: 'Suggest', command: 'editor.action.triggerSuggest' });
      assert.equal(items.find((i) => i.label === 'README.md')!.kind, CompletionItemKind.File);
      for (const ignored of ['node_modules/', '.git/', '.venv/']) assert.ok(!labels.includes(ignored), ignored);
    });

    it('lists the folder typed so far and replaces only the last segment', async () => {
      const flow = await complete(withLine('  report:', '    inputs: [steps/prep.py, "data/«tr‸»"]'));
      assert.deepEqual(flow.labels, ['test.csv', 'train.csv']);
      assert.deepEqual(edit(flow.items[1]!), { range: flow.expected, newText: 'train.csv' });
      const block = await complete(withLine('  report:', '    inputs:\n      - steps/‸'));
      assert.deepEqual(block.labels, ['prep.py', 'train.py']);
      const scalar = await complete(withLine('  report:', '    inputs: data/‸'));
      assert.deepEqual(scalar.labels, ['test.csv', 'train.csv']);
    });

    it('lists paths for outputs, plain and in a spec, relative to the step workdir', async () => {
      const plain = await complete(withLine('      train: data/train.csv', '      other: models/‸'));
      assert.deepEqual(plain.labels, []);
      const plainData = await complete(withLine('      train: data/train.csv', '      other: data/«t‸»'));
      assert.deepEqual(plainData.labels, ['test.csv', 'train.csv']);
      assert.deepEqual(edit(plainData.items[0]!).range, plainData.expected);
      const spec = await complete(withLine('      train: data/train.csv', '      other: { path: "data/‸", type: file }'));
      assert.deepEqual(spec.labels, ['test.csv', 'train.csv']);
      const workdir = await complete(withLine('  report:', '    workdir: sub/work\n    inputs: [in/‸]'));
      assert.deepEqual(workdir.labels, ['w.csv']);
    });
  });

  describe('registered models', () => {
    it('offers the names the client pushed through mlops/registeredModels in register.model', async () => {
      await server.connection.sendNotification(RegisteredModelsNotification, { names: ['customer_churn', 'fraud_detector'] });
      const { labels, items, expected } = await complete(`${PIPELINE}register:\n  model: «cu‸»\n`);
      assert.deepEqual(labels, ['customer_churn', 'fraud_detector']);
      assert.deepEqual(edit(items[0]!), { range: expected, newText: 'customer_churn' });
      await server.connection.sendNotification(RegisteredModelsNotification, { names: ['other'] });
      assert.deepEqual((await complete(`${PIPELINE}register:\n  model: ‸`)).labels, ['other']);
      await server.connection.sendNotification(RegisteredModelsNotification, { names: [] });
      assert.deepEqual((await complete(`${PIPELINE}register:\n  model: ‸`)).labels, []);
    });
  });

  describe('large files', () => {
    // s0 <- s1 <- ... <- s999: each step reads the previous one's output.
    const chain = [
      'pipeline: big',
      'steps:',
      ...Array.from({ length: 1000 }, (_, i) => [
        `  s${i}:`,
        `    run: python s.py${i ? ` \${{ steps.s${i - 1}.outputs.o }}` : ''}`,
        `    outputs: { o: out/s${i}.csv }`,
      ]).flat(),
      '',
    ].join('\n');

    it('sends at most 500 step ids, the nearest first, and asks again as the user types', async () => {
      const open = await complete(chain.replace('  s700:\n', '  s700:\n    needs: [‸]\n'));
      assert.equal(open.list?.isIncomplete, true);
      assert.equal(open.items.length, 500);
      const ranked = [...open.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
      assert.deepEqual(ranked.slice(0, 3), ['s699', 's698', 's697']);
      assert.ok(!open.labels.some((l) => Number(l.slice(1)) >= 700), 'no step downstream of s700');
      const typed = await complete(chain.replace('  s700:\n', '  s700:\n    needs: [«s12‸»]\n'));
      assert.equal(typed.list?.isIncomplete, true);
      assert.ok(typed.labels.includes('s12') && typed.labels.includes('s612'), typed.labels.join());
      assert.ok(
        typed.labels.every((l) => /^s\d*1\d*2/.test(l)),
        'only ids that can match `s12`',
      );
    });
  });

  describe('robustness', () => {
    it('answers half-typed documents without errors and keeps working', async () => {
      for (const text of [
        '‸',
        'steps:\n  a:\n    needs: [‸',
        'steps: [‸',
        '{‸',
        '- ‸',
        'a: "‸',
        'steps:\n  a:\n    run: ${{ steps..‸',
        ':\n  ‸',
        'params:\n  p: { type: [‸',
      ]) {
        await complete(text);
      }
      assert.deepEqual((await complete('‸')).labels, keysOf('top'));
      assert.ok(!server.logs.some((l) => /completion failed/.test(l.message)), JSON.stringify(server.logs));
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  CodeAction,
  CodeLens,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspServer } from '../helpers/lspServer';

const TEXT = `pipeline: churn
params:
  lr: { type: float, default: 0.1, min: 0, description: Learning rate }
  epochs: 10
steps:
  prep:
    description: Split the data
    run: python prep.py --out \${{ outputs.train }}
    outputs:
      train: data/train.csv
  train:
    needs: [prep]
    run: python train.py \${{ steps.prep.outputs.train }} --lr \${{ params.lr }} --epochs \${{ params.epochs }} --model \${{ outputs.model }}
    outputs:
      model: { path: models/m.pkl, type: model }
  evaluate:
    run: python eval.py \${{ steps.train.outputs.model }} \${{ steps.prep.outputs.train }}
register:
  model: churn
  from: \${{ steps.train.outputs.model }}
  when: \${{ params.lr < 1 }}
`;
const URI = 'file:///ws/features.pipeline.yaml';
const doc = TextDocument.create(URI, 'mlops-pipeline', 1, TEXT);

/** The position of the `nth` occurrence of `needle`, `shift` characters in. */
function at(needle: string, nth = 0, shift = 1): Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = TEXT.indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} #${nth} not in the text`);
  return doc.positionAt(index + shift);
}

function textOf(range: Range): string {
  return doc.getText(range);
}

describe('pipeline language features (real server over stdio)', () => {
  let server: LspServer;
  const td = { uri: URI };
  before(async () => {
    server = await LspServer.start();
    await server.open(URI, 'mlops-pipeline', TEXT);
    const { diagnostics } = await server.diagnostics(URI);
    assert.deepEqual(diagnostics, [], 'the fixture is valid');
  });
  after(async () => server.stop());

  it('hovers keys with the table documentation', async () => {
    const hover = await server.request<Hover>('textDocument/hover', { textDocument: td, position: at('needs:') });
    assert.match(JSON.stringify(hover.contents), /\*\*needs\*\*.*Steps that must finish first/);
    assert.equal(textOf(hover.range!), 'needs');
  });

  it('hovers a param use with its type, default, bounds, description and where it is used', async () => {
    const hover = await server.request<Hover>('textDocument/hover', { textDocument: td, position: at('params.lr', 0, 8) });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*param\*\* `lr`: `float`/);
    assert.match(value, /Learning rate/);
    assert.match(value, /default `0.1` · min `0`/);
    assert.match(value, /used in step `train` `run` \(line 13\), `register.when` \(line 21\)/);
    assert.equal(textOf(hover.range!), 'lr');
  });

  it('hovers a step with its command, outputs, needs and dependents', async () => {
    const hover = await server.request<Hover>('textDocument/hover', { textDocument: td, position: at('steps.train', 0, 7) });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*step\*\* `train`/);
    assert.match(value, /```sh\npython train.py/);
    assert.match(value, /outputs: `model` → `models\/m.pkl` \(model\)/);
    assert.match(value, /needs: `prep` · dependents: `evaluate`/);
  });

  it('hovers an output with its path, type, producer and consumers', async () => {
    const hover = await server.request<Hover>('textDocument/hover', { textDocument: td, position: at('outputs.train', 1, 9) });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*output\*\* `train` of step `prep`/);
    assert.match(value, /path `data\/train.csv` · type `file`/);
    assert.match(value, /read by: `prep \(itself\)`, `train`, `evaluate`/);
  });

  it('goes to the definition of params, steps (from needs and references) and outputs', async () => {
    const cases: [Position, string][] = [
      [at('params.lr', 0, 8), 'lr'],
      [at('[prep]', 0, 2), 'prep'],
      [at('steps.prep', 0, 7), 'prep'],
      [at('outputs.model', 1, 9), 'model'],
      [at('outputs.model', 0, 9), 'model'],
    ];
    for (const [position, name] of cases) {
      const location = await server.request<Location>('textDocument/definition', { textDocument: td, position });
      assert.equal(textOf(location.range), name);
      assert.ok(
        doc.offsetAt(location.range.start) < TEXT.indexOf('steps:') || TEXT.slice(doc.offsetAt(location.range.end)).startsWith(':'),
        'lands on the declaring key',
      );
    }
  });

  it('finds every reference, with and without the declaration', async () => {
    const refs = await server.request<Location[]>('textDocument/references', {
      textDocument: td,
      position: at('prep:', 0, 1),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      refs.map((r) => [r.range.start.line, textOf(r.range)]),
      [
        [5, 'prep'],
        [11, 'prep'],
        [12, 'prep'],
        [16, 'prep'],
      ],
    );
    const without = await server.request<Location[]>('textDocument/references', {
      textDocument: td,
      position: at('prep:', 0, 1),
      context: { includeDeclaration: false },
    });
    assert.equal(without.length, 3);
  });

  it('renames a step in its key, every needs entry and every reference', async () => {
    const prepared = await server.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', {
      textDocument: td,
      position: at('steps.prep', 0, 7),
    });
    assert.equal(prepared.placeholder, 'prep');
    const edit = await server.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: td,
      position: at('steps.prep', 0, 7),
      newName: 'split',
    });
    const renamed = TextDocument.applyEdits(doc, edit.changes![URI]!);
    assert.doesNotMatch(renamed, /\bprep\b(?!\.py)/);
    assert.match(renamed, /needs: \[split\]/);
    assert.equal(renamed.match(/steps\.split\.outputs\.train/g)?.length, 2);
  });

  it('renames params and outputs everywhere, and refuses invalid or taken names with a message', async () => {
    const edit = await server.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: td,
      position: at('model:', 0, 1),
      newName: 'artifact',
    });
    const renamed = TextDocument.applyEdits(doc, edit.changes![URI]!);
    assert.equal(renamed.match(/outputs\.artifact/g)?.length, 3);
    assert.match(renamed, /artifact: \{ path: models/);
    const param = await server.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: td,
      position: at('lr:', 0, 0),
      newName: 'rate',
    });
    assert.equal(TextDocument.applyEdits(doc, param.changes![URI]!).match(/params\.rate/g)?.length, 2);
    await assert.rejects(
      server.request('textDocument/rename', { textDocument: td, position: at('lr:', 0, 0), newName: 'two words' }),
      /not a valid name/,
    );
    await assert.rejects(
      server.request('textDocument/rename', { textDocument: td, position: at('lr:', 0, 0), newName: 'epochs' }),
      /already exists/,
    );
    assert.equal(await server.request('textDocument/prepareRename', { textDocument: td, position: at('python', 0, 2) }), null);
  });

  it('outlines params and steps with their outputs', async () => {
    const symbols = await server.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: td });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['pipeline churn', 'params', 'steps', 'register'],
    );
    const steps = symbols[2]!;
    assert.deepEqual(
      steps.children?.map((s) => [s.name, s.children?.map((o) => o.name)]),
      [
        ['prep', ['train']],
        ['train', ['model']],
        ['evaluate', []],
      ],
    );
    assert.deepEqual(
      symbols[1]!.children?.map((p) => [p.name, p.detail]),
      [
        ['lr', 'float'],
        ['epochs', 'int'],
      ],
    );
  });

  it('folds multi-line maps and lists', async () => {
    const ranges = await server.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: td });
    const lines = ranges.map((r) => [r.startLine, r.endLine]);
    for (const expected of [
      [1, 3],
      [4, 16],
      [5, 9],
      [10, 14],
      [17, 20],
    ])
      assert.ok(
        lines.some((l) => l[0] === expected[0] && l[1] === expected[1]),
        `${JSON.stringify(expected)} in ${JSON.stringify(lines)}`,
      );
  });

  it('puts Run pipeline on the pipeline line and Run step on each step', async () => {
    const lenses = await server.request<CodeLens[]>('textDocument/codeLens', { textDocument: td });
    const run = lenses.filter((l) => l.command?.command === 'mlops.runPipeline');
    assert.equal(run.length, 1);
    assert.equal(run[0]!.range.start.line, 0);
    assert.deepEqual(run[0]!.command!.arguments, [URI]);
    const steps = lenses.filter((l) => l.command?.command === 'mlops.runStep');
    assert.deepEqual(
      steps.map((l) => [l.range.start.line, l.command!.arguments]),
      [
        [5, [URI, 'prep']],
        [10, [URI, 'train']],
        [15, [URI, 'evaluate']],
      ],
    );
  });

  it('offers quick fixes: did-you-mean, declare a param, add a needs entry, replace a legacy key', async () => {
    const uri = 'file:///ws/fixes.pipeline.yaml';
    const text =
      'pipeline: p\nsteps:\n  prep:\n    command: python p.py\n    run: x\n    outputs: { train: data/train.csv }\n  fit:\n    run: y ${{ params.rate }}\n    inputs: [data/train.csv]\n  report:\n    run: z ${{ steps.prep.outputs.trian }}\n';
    await server.open(uri, 'mlops-pipeline', text);
    const { diagnostics } = await server.diagnostics(uri);
    const fixed = TextDocument.create(uri, 'mlops-pipeline', 1, text);
    const titles: string[] = [];
    for (const diagnostic of diagnostics as Diagnostic[]) {
      const actions = await server.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      titles.push(...actions.map((a) => a.title));
    }
    for (const title of [
      'Replace `command` with `run`',
      'Declare param `rate` (string)',
      'Change to `train`',
      'Add `prep` to `needs` of `fit`',
    ]) {
      assert.ok(titles.includes(title), `${title} in ${JSON.stringify(titles)}`);
    }
    const all = await server.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 11, character: 0 } },
      context: { diagnostics },
    });
    const legacy = all.find((a) => a.title === 'Replace `command` with `run`')!;
    assert.equal(legacy.isPreferred, true);
    assert.match(TextDocument.applyEdits(fixed, legacy.edit!.changes![uri]!), /^ {4}run: python p.py$/m);
  });
});

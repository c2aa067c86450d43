/**
 * The parse cache reads a new version by splicing one entry into the previous
 * AST, and a first version by entries (common/src/document/). Whatever it
 * does, the AST, the pipeline model and the diagnostics must equal those of a
 * fresh parse of the whole text. These tests drive chains of random edits over
 * the sample and generated pipelines and compare every version.
 *
 * The seed is fixed; MLOPS_SPLICE_SEED=random (or a number) and
 * MLOPS_SPLICE_EDITS=<edits per chain> explore further.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import {
  ParseCache,
  pipelineModel,
  validateDocument,
  type DocumentKind,
  type ParsedDocument,
  type PipelineModel,
  type ValidationContext,
} from '../../common/src';
import type { Span } from '../../common/src/expressions/ast';
import { YAML_OPTIONS } from '../../common/src/document/chunks';
import { parseInPieces, parseRootEntries } from '../../common/src/document/piecewise';
import { spliceYaml } from '../../common/src/document/splice';
import { symbolAt } from '../../common/src/pipeline/symbolAt';
import { generatePipeline } from '../bench/lsp-pipeline/generate';
import { Random, seedFromEnv } from '../helpers/lspRandom';

const SEED = seedFromEnv('MLOPS_SPLICE_SEED', 1);
const EDITS = Number(process.env.MLOPS_SPLICE_EDITS ?? 150);
const SAMPLES = path.resolve(__dirname, '../../samples/churn');
const sample = (name: string) => readFileSync(path.join(SAMPLES, name), 'utf8');

/** Every node's kind, style, value, tag, anchor and range: what a feature can read (comments aside). */
function shape(node: unknown): unknown {
  if (isPair(node)) return { pair: [shape(node.key), shape(node.value)] };
  if (isMap(node) || isSeq(node))
    return {
      kind: isMap(node) ? 'map' : 'seq',
      flow: !!node.flow,
      tag: node.tag,
      anchor: node.anchor,
      range: node.range,
      items: node.items.map(shape),
    };
  if (isScalar(node)) return { kind: 'scalar', value: node.value, style: node.type, tag: node.tag, anchor: node.anchor, range: node.range };
  if (isAlias(node)) return { alias: node.source, range: node.range };
  return node ?? null;
}

function docShape(doc: Document.Parsed): unknown {
  return {
    range: doc.range,
    contents: shape(doc.contents),
    errors: doc.errors.map((e) => [e.code, e.pos]),
    warnings: doc.warnings.map((w) => [w.code, w.pos]),
  };
}

const whole = (text: string) => parseDocument(text, YAML_OPTIONS);

const spans = (items: readonly Span[]) => items.map((s) => [s.start, s.end]);

/** The model as plain data, offsets included. */
function modelShape(model: PipelineModel): unknown {
  return {
    steps: [...model.steps.values()].map((s) => ({
      name: s.name,
      span: [s.start, s.end],
      run: s.run,
      description: s.description,
      workdir: s.workdir,
      needs: s.needs.map((n) => [n.name, n.start, n.end]),
      outputs: [...s.outputs.values()].map((o) => [o.name, o.start, o.end, o.path, o.type, o.pathNode?.range]),
    })),
    params: [...model.params.values()].map((p) => [p.name, p.start, p.end, p.type]),
    sites: model.sites.map((s) => [s.key, s.step, s.allowed, s.condition, JSON.parse(JSON.stringify(s.template))]),
    uses: model.uses.map((u) => [u.kind, u.name, u.step, u.inStep, u.origin, u.own, u.start, u.end, u.site?.template.start]),
    problems: model.expressionProblems.map((p) => [p.message, p.start, p.end]),
    edges: model.edges.map((e) => [e.from, e.to, e.kind, e.start, e.end]),
    usesOfParams: [...model.params.keys()].map((name) => spans(model.usesOf('param', name))),
    usesOfSteps: [...model.steps.keys()].map((name) => spans(model.usesOf('step', name))),
  };
}

/** A file-existence answer that depends on the path only, so both sides of a comparison agree. */
const CONTEXT: ValidationContext = { fileExists: (_uri, p) => p.length % 3 !== 0 };

function fresh(text: TextDocument, kind: DocumentKind): ParsedDocument {
  return { uri: text.uri, kind, version: text.version, text, yaml: whole(text.getText()) };
}

function assertSameResults(actual: ParsedDocument, expected: ParsedDocument, label: string): void {
  assert.deepEqual(docShape(actual.yaml), docShape(expected.yaml), `${label}: AST`);
  assert.deepEqual(
    validateDocument(actual, { context: CONTEXT }),
    validateDocument(expected, { context: CONTEXT }),
    `${label}: diagnostics`,
  );
  if (actual.kind !== 'pipeline') return;
  const model = pipelineModel(actual);
  const reference = pipelineModel(expected);
  assert.deepEqual(modelShape(model), modelShape(reference), `${label}: model`);
  const length = actual.text.getText().length;
  for (let offset = 0; offset < length; offset += 211)
    assert.deepEqual(symbolAt(model, offset), symbolAt(reference, offset), `${label}: symbol at ${offset}`);
}

const WORDS = [
  's0',
  's1',
  's3',
  'nope',
  'o0',
  'o1',
  'o9',
  'train',
  'epochs',
  'test_size',
  'params',
  'steps',
  'outputs',
  'run',
  'needs',
  'inputs',
  'env',
  'x',
  '30m',
  '90',
  'true',
  'yes',
  'data/train.csv',
  'out/s1/o0.csv',
  'type',
  'path',
  'metrics',
  'default',
  'preprocess',
  'evaluate',
];
const SNIPPETS = [
  ' ${{ steps.s1.outputs.o0 }}',
  ' ${{ steps.train.outputs.model }}',
  ' ${{ params.epochs }}',
  ' ${{ params.nope }}',
  ' ${{ outputs.o0 }}',
  ' ${{ steps.s2 }}',
  ' ${{ nope.x }}',
  ' ${{ a = b }}',
  '\n    needs: [s2]',
  '\n    needs: [s0, nope]',
  '\n    needs: [evaluate]',
  '\n    retries: -1',
  '\n    timeout: 30',
  '\n    bogus: 1',
  '\n    run: dup',
  '\n      o9: out/s1/o0.csv',
  '\n      model: data/train.csv',
  ' # note',
  '\n',
  '\n\n',
  '\n    # deep comment',
  '\n# left comment',
  ' &anchor',
  ' *anchor',
  ' !tag',
  ' {',
  ' [',
  '"',
  '\t',
  '\n  s99:\n    run: x',
  '\n  extra:\n    run: y ${{ steps.s1.outputs.o0 }}',
  ' ${{',
  ' }}',
  ':',
  '\n    - item',
  '\n---\n',
  '\n    run: |\n      echo a\n\n',
  '\n    run: |+\n      kept\n\n',
  ' >-',
  " 'single'",
  '\n    env:\n      A: "x\\ty"',
];

/** The entries of a block map at column 2 (steps, params): where each starts and ends. */
function entriesAt2(text: string): { start: number; end: number }[] {
  const starts: number[] = [];
  for (const match of text.matchAll(/^ {2}[A-Za-z_][\w-]*:/gm)) starts.push(match.index);
  return starts.map((start, i) => {
    let end = starts[i + 1] ?? text.length;
    // The last entry of a map ends where a line at column 0 starts.
    const root = text.slice(start, end).search(/\n(?=[^ \n])/);
    if (root >= 0) end = start + root + 1;
    return { start, end };
  });
}

/** A whole step or param added (a copy of another, renamed), deleted, or moved; or a syntax error made inside one. */
function entryEdit(text: string, random: Random): { start: number; end: number; newText: string } | undefined {
  const entries = entriesAt2(text);
  if (entries.length === 0) return undefined;
  const entry = random.pick(entries);
  const body = text.slice(entry.start, entry.end);
  switch (
    random.weighted([
      [3, 'add'],
      [3, 'delete'],
      [1, 'two'],
      [3, 'break'],
    ] as const)
  ) {
    case 'add': {
      const where = random.pick(entries);
      const copy = body.replace(/^ {2}([A-Za-z_][\w-]*):/, (_, name: string) => `  ${name}_${random.below(1000)}:`);
      return { start: where.start, end: where.start, newText: copy.endsWith('\n') ? copy : `${copy}\n` };
    }
    case 'delete':
      return { start: entry.start, end: entry.end, newText: '' };
    case 'two': {
      // Two entries at once: this one and the next deleted, or replaced by one of them.
      const next = entries[entries.indexOf(entry) + 1];
      if (!next) return undefined;
      return { start: entry.start, end: next.end, newText: random.chance(0.5) ? '' : text.slice(next.start, next.end) };
    }
    case 'break': {
      const line = entry.start + random.below(body.length);
      const at = text.indexOf('\n', line);
      if (at < 0) return undefined;
      return random.chance(0.5)
        ? { start: at, end: at, newText: random.pick([' [', ' {', ' "x', " 'x", ' ]', ' - x', ': x: y', ' &a', ' *b']) }
        : { start: at - 1, end: at, newText: '' };
    }
  }
}

/** One random edit of `text`, mostly inside a line and mostly harmless YAML. */
function randomEdit(text: string, random: Random): { start: number; end: number; newText: string } {
  const at = random.below(text.length + 1);
  switch (
    random.weighted([
      [5, 'word'],
      [3, 'insert'],
      [1, 'delete'],
      [1, 'line'],
      [1, 'char'],
      [2, 'entry'],
    ] as const)
  ) {
    case 'entry': {
      const edit = entryEdit(text, random);
      if (edit) return edit;
      return { start: at, end: at, newText: ' ' };
    }
    case 'word': {
      let start = at;
      let end = at;
      while (start > 0 && /[\w./-]/.test(text[start - 1]!)) start--;
      while (end < text.length && /[\w./-]/.test(text[end]!)) end++;
      return { start, end, newText: random.pick(WORDS) };
    }
    case 'insert': {
      const lineEnd = text.indexOf('\n', at);
      const where = random.chance(0.6) && lineEnd >= 0 ? lineEnd : at;
      return { start: where, end: where, newText: random.pick(SNIPPETS) };
    }
    case 'delete':
      return { start: at, end: Math.min(text.length, at + random.int(1, 30)), newText: '' };
    case 'line': {
      const start = text.lastIndexOf('\n', at - 1) + 1;
      const end = text.indexOf('\n', at) + 1 || text.length;
      return random.chance(0.5) ? { start, end, newText: '' } : { start, end: start, newText: text.slice(start, end) };
    }
    case 'char':
      return {
        start: at,
        end: Math.min(text.length, at + 1),
        newText: random.pick(['a', ' ', ':', '\n', '-', '#', '{', '}', '"', "'", '$', '&', '*', '|', '>', '\t']),
      };
  }
}

interface ChainStats {
  versions: number;
  spliced: number;
  /** Versions spliced into a previous version that had a syntax error. */
  splicedBroken: number;
}

/**
 * Edits `base` `count` times as an editor would (incremental changes through
 * the parse cache), reverting most edits that break the YAML so that the
 * chain keeps coming back to splice-able versions, and compares every
 * version with a fresh parse.
 */
function runChain(base: string, kind: DocumentKind, seed: number, count: number, revert = 0.8): ChainStats {
  const random = new Random(seed);
  const cache = new ParseCache();
  let text = TextDocument.create(`file:///chain/doc.${kind}.yaml`, 'yaml', 1, base);
  let previous = cache.get(text, kind);
  assertSameResults(previous, fresh(text, kind), `seed ${seed} v1`);
  const stats: ChainStats = { versions: 0, spliced: 0, splicedBroken: 0 };
  let lastGood = base;
  for (let n = 0; n < count; n++) {
    const current = text.getText();
    const broken = previous.yaml.errors.length > 0 || previous.yaml.warnings.length > 0;
    const edit = broken && random.chance(revert) ? { start: 0, end: current.length, newText: lastGood } : randomEdit(current, random);
    text = TextDocument.update(
      text,
      [{ range: { start: text.positionAt(edit.start), end: text.positionAt(edit.end) }, text: edit.newText }],
      text.version + 1,
    );
    const parsed = cache.get(text, kind);
    const label = `seed ${seed} v${text.version} (${JSON.stringify(edit)})`;
    assertSameResults(parsed, fresh(text, kind), label);
    stats.versions++;
    if (parsed.yaml === previous.yaml && text.getText() !== current) {
      stats.spliced++;
      if (broken) stats.splicedBroken++;
    }
    if (parsed.yaml.errors.length === 0 && parsed.yaml.warnings.length === 0) lastGood = text.getText();
    previous = parsed;
  }
  return stats;
}

describe('incremental parsing', () => {
  it('reads a text by entries exactly as a whole parse reads it', () => {
    const texts = [
      sample('churn.pipeline.yaml'),
      sample('churn.monitor.yaml'),
      sample('customer.features.yaml'),
      generatePipeline(40, 7).text,
      sample('churn.pipeline.yaml').replace(/\n/g, '\r\n'),
      'a: 1\n\n\n',
      'a: 1',
      '# c\na:\n  b: 2\n  c:\n\n',
      'a:\n  b: |\n    x\n\n  c: >\n    y\n  d:\n',
      'steps:\n  a:\n    e:\n  # deep\n\n  b: 1\nregister:\n  m: 1\n',
    ];
    for (const text of texts) {
      const pieces = parseInPieces(text);
      assert.ok(pieces, `read by entries: ${JSON.stringify(text.slice(0, 40))}`);
      assert.deepEqual(docShape(pieces), docShape(whole(text)), JSON.stringify(text.slice(0, 40)));
    }
    const random = new Random(SEED);
    let read = 0;
    for (let n = 0; n < 300; n++) {
      let text = random.pick(texts.slice(0, 4));
      for (let k = random.int(1, 3); k > 0; k--) {
        const edit = randomEdit(text, random);
        text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
      }
      const pieces = parseInPieces(text);
      if (!pieces) continue;
      read++;
      assert.deepEqual(docShape(pieces), docShape(whole(text)), JSON.stringify(text));
    }
    assert.ok(read > 100, `only ${read} of 300 mutated texts were read by entries`);
  });

  it('reads only the root entries asked for, as a whole parse reads them (the workspace index skips the steps)', () => {
    for (const text of [sample('churn.pipeline.yaml'), generatePipeline(40, 7).text]) {
      const header = parseRootEntries(text, (key) => key !== 'steps');
      assert.ok(header);
      const all = whole(text).contents as YAMLMap;
      const kept = all.items.filter((pair) => (pair.key as { value?: unknown }).value !== 'steps');
      assert.deepEqual((header.contents as YAMLMap).items.map(shape), kept.map(shape));
    }
  });

  it('declines what it cannot read alone: anchors, left-edge comments between entries, errors', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a:\n  b: 1\n# left\n  c: 2\n',
      'a: [1\nb: 2\n',
      '%YAML 1.2\n---\na: 1\n',
      '- a\n- b\n',
      '  a: 1\n',
    ]) {
      assert.equal(parseInPieces(text), undefined, JSON.stringify(text));
    }
  });

  it('splices one step, or one param, and declines edits that leave its entry', () => {
    const base =
      'pipeline: p\nparams:\n  lr: { type: float, default: 0.1 }\nsteps:\n  a:\n    run: x\n  b:\n    run: y\nregister:\n  model: m\n';
    const splice = (edited: string) => spliceYaml({ source: base, yaml: whole(base) }, edited);
    for (const edited of [
      base.replace('run: x', 'run: xyz'),
      base.replace('0.1', '0.25'),
      base.replace('  b:\n', '  bee:\n'),
      base.replace('model: m', 'model: mm'),
      base.replace('  a:\n', '  a:\n    # note\n'),
    ]) {
      const yaml = splice(edited);
      assert.ok(yaml, JSON.stringify(edited));
      assert.deepEqual(docShape(yaml), docShape(whole(edited)), JSON.stringify(edited));
    }
    for (const edited of [
      base.replace('run: x', 'run: x\n  c:\n    run: z'),
      base.replace('run: x', 'run: &k x'),
      base.replace('run: x', 'run: [x'),
      base.replace('  b:\n', '# left\n  b:\n'),
    ]) {
      const yaml = splice(edited);
      if (yaml) assert.deepEqual(docShape(yaml), docShape(whole(edited)), JSON.stringify(edited));
      else assert.equal(yaml, undefined);
    }
    // A syntax error in a step followed by two others is read with them, and gives the errors a whole parse gives.
    const three = base.replace('  b:\n    run: y\n', '  b:\n    run: y\n  c:\n    run: z\n');
    const broken = three.replace('run: x', 'run: [x');
    const spliced = spliceYaml({ source: three, yaml: whole(three) }, broken);
    assert.ok(spliced, 'a syntax error in a step is spliced');
    assert.deepEqual(docShape(spliced), docShape(whole(broken)), 'a syntax error in a step');
    assert.ok(whole(broken).errors.length > 0);
  });

  for (const [name, base, kind, offset] of [
    ['the sample pipeline', sample('churn.pipeline.yaml'), 'pipeline', 0],
    ['a generated pipeline', generatePipeline(25, 3).text, 'pipeline', 1],
    ['a generated pipeline, other edits', generatePipeline(25, 5).text, 'pipeline', 2],
    ['the sample features file', sample('customer.features.yaml'), 'features', 3],
  ] as const) {
    it(`gives the results of a fresh parse after every random edit of ${name}`, () => {
      const stats = runChain(base, kind, SEED + offset, EDITS);
      assert.ok(stats.spliced >= stats.versions / 10, `only ${stats.spliced} of ${stats.versions} versions were spliced`);
    });
  }

  it('splices whole steps in and out: one chunk becomes several, or none', () => {
    const base = generatePipeline(30, 9).text;
    const cache = new ParseCache();
    let text = TextDocument.create('file:///steps/doc.pipeline.yaml', 'yaml', 1, base);
    const first = cache.get(text, 'pipeline');
    const steps = () => ((first.yaml.contents as YAMLMap).get('steps') as YAMLMap).items.length;
    const edit = (start: number, end: number, newText: string) => {
      text = TextDocument.update(
        text,
        [{ range: { start: text.positionAt(start), end: text.positionAt(end) }, text: newText }],
        text.version + 1,
      );
      const parsed = cache.get(text, 'pipeline');
      assert.equal(parsed.yaml, first.yaml, `spliced: ${JSON.stringify(newText.slice(0, 60))}`);
      assertSameResults(parsed, fresh(text, 'pipeline'), `v${text.version}`);
    };
    const s6 = base.indexOf('\n  s6:\n') + 1;
    // Two new steps inside s5's chunk, after its last line: one chunk becomes three.
    edit(s6, s6, '  n1:\n    run: a ${{ steps.s0.outputs.o0 }}\n  n2:\n    run: b\n');
    assert.equal(steps(), 32);
    // s5 deleted: its chunk becomes none.
    const t = text.getText();
    edit(t.indexOf('\n  s5:\n') + 1, t.indexOf('\n  n1:\n') + 1, '');
    assert.equal(steps(), 31);
    // A syntax error in n1, an edit elsewhere while it is there, and its fix.
    const n1 = text.getText().indexOf('    run: a ') + '    run: '.length;
    edit(n1, n1, '[');
    assert.ok(first.yaml.errors.length > 0);
    const s20 = text.getText().indexOf('\n  s20:\n    description: ') + '\n  s20:\n    description: '.length;
    edit(s20, s20, 'Edited ');
    edit(n1, n1 + 1, '');
    assert.equal(first.yaml.errors.length, 0);
  });

  it('splices edits while the file has a syntax error, with the results of a fresh parse', () => {
    const stats = runChain(generatePipeline(25, 13).text, 'pipeline', SEED + 4, EDITS, 0.2);
    assert.ok(stats.splicedBroken >= 5, `only ${stats.splicedBroken} versions with a syntax error before them were spliced`);
  });
});

/**
 * The exact block reader (common/src/document/blockReader.ts) must build the
 * nodes the yaml package builds: every own property of every node (value,
 * source, style, format, ranges with their third offset), for every chunk it
 * accepts. Chunks come from the generated benchmark pipeline and the samples,
 * as written and randomly edited.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { readBlockEntry } from '../../common/src/document/blockReader';
import { YAML_OPTIONS } from '../../common/src/document/chunks';
import { generatePipeline } from '../bench/lsp-pipeline/generate';
import { Random } from '../helpers/lspRandom';

/** Every own property of every node, comments aside (no feature reads them), the offsets moved by `delta`. */
function shape(node: unknown, delta: number): unknown {
  const move = (range: readonly number[] | null | undefined) => range?.map((n) => n + delta);
  if (isPair(node)) return { pair: [shape(node.key, delta), shape(node.value, delta)] };
  if (isMap(node) || isSeq(node))
    return {
      class: node.constructor.name,
      flow: node.flow,
      tag: node.tag,
      range: move(node.range),
      items: node.items.map((i) => shape(i, delta)),
    };
  if (isScalar(node)) {
    const own: Record<string, unknown> = { class: node.constructor.name };
    for (const [key, value] of Object.entries(node))
      if (!['comment', 'commentBefore', 'spaceBefore'].includes(key)) own[key] = key === 'range' ? move(value as number[]) : value;
    return own;
  }
  return node ?? null;
}

/** The package's reading of `chunk` (key at `column`), in the offsets of `base`; undefined when it reports a problem. */
function reference(chunk: string, base: number): unknown {
  const doc = parseDocument(chunk, YAML_OPTIONS);
  if (doc.errors.length || doc.warnings.length || !isMap(doc.contents) || doc.contents.items.length !== 1) return undefined;
  return {
    pair: shape(doc.contents.items[0], base),
    mapRange: doc.contents.range.map((n) => n + base),
    docRange: doc.range.map((n) => n + base),
  };
}

function compare(chunk: string, column: number, base: number): boolean {
  const quick = readBlockEntry(chunk, column, base);
  if (!quick) return false;
  const expected = reference(chunk, base);
  assert.ok(expected, `the package reports a problem the reader did not: ${JSON.stringify(chunk)}`);
  assert.deepEqual({ pair: shape(quick.pair, 0), mapRange: quick.mapRange, docRange: quick.docRange }, expected, JSON.stringify(chunk));
  return true;
}

/** The steps of a pipeline as chunks (key at column 2). */
function stepChunks(text: string): string[] {
  const body = text.slice(text.indexOf('\nsteps:\n') + 8, text.indexOf('\nregister:'));
  return body.split(/(?=^ {2}\S)/m);
}

const ALPHABET = [
  '\n',
  ' ',
  '  ',
  '- ',
  ': ',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  'x',
  '"',
  "'",
  '1',
  '0.50',
  '-3',
  '&a',
  '*a',
  '!t',
  '|',
  '>',
  '\t',
  '\r',
  '~',
  'null',
  'true',
  'yes',
  '${{ a }}',
  '\\',
  '%',
  '@',
  '?',
  '0x1F',
  '1e3',
  '.inf',
];

describe('the exact block reader', () => {
  it('reads every step of the generated pipeline, as the yaml package does', () => {
    const chunks = stepChunks(generatePipeline(300, 11).text);
    assert.ok(chunks.length >= 300);
    for (const [n, chunk] of chunks.entries()) assert.ok(compare(chunk, 2, 1000 + n), `declined ${JSON.stringify(chunk)}`);
  });

  it('reads the sample pipeline’s steps it accepts as the yaml package does', () => {
    const sample = readFileSync(path.resolve(__dirname, '../../samples/churn/churn.pipeline.yaml'), 'utf8');
    for (const chunk of stepChunks(sample)) compare(chunk, 2, 7);
  });

  it('handles the forms it accepts, and declines the others', () => {
    const accepted = [
      '  s:\n    a: x  \n    b: [ a ,b ]  \n    c: {k: v , l: [x]}\n\n\n',
      '  s:\n    l:\n      - a\n      - [b]\n      - "q"\n    m: 1',
      '  s:\n    a: \'x y\'\n    b: ""\n    c: []\n    d: {}\n    e: -1\n    f: 0.50\n    g: ~\n    h: True\n    i: 1e3\n    j: 0o17\n    k: .inf\n',
      '  s:\n    run: python a.py ${{ steps.x.outputs.y }} --n ${{ params.n }}\n',
      '  1:\n    true: 2\n',
    ];
    for (const chunk of accepted) assert.ok(compare(chunk, 2, 0), JSON.stringify(chunk));
    const declined = [
      '  s:\n    a: x # c\n',
      '  s:\n    # c\n    a: x\n',
      '  s:\n    a: x\n\n    b: y\n',
      '  s:\n    a: &k x\n',
      '  s:\n    a: *k\n',
      '  s:\n    a: !t x\n',
      '  s:\n    a: |\n      x\n',
      '  s:\n    a:\n',
      '  s:\n    a:\n      - b: c\n',
      '  s:\n    a: [x,\n      y]\n',
      '  s:\n    a: "x\\ty"\n',
      "  s:\n    a: 'it''s'\n",
      '  s:\n    a: x\n      y\n',
      '  s:\n    a: b: c\n',
      '  s:\n    a: [a: b]\n',
      '  s:\n    a:\tx\n',
      '  s:\r\n    a: x\r\n',
      '  "s":\n    a: x\n',
      '  s:\n    a: x\n  t: y\n',
    ];
    for (const chunk of declined) assert.equal(readBlockEntry(chunk, 2, 0), undefined, JSON.stringify(chunk));
  });

  it('equals the yaml package on every randomly edited chunk it accepts', () => {
    const random = new Random(20261204);
    const chunks = [...stepChunks(generatePipeline(60, 5).text), ...accepted()];
    let read = 0;
    for (let n = 0; n < 4000; n++) {
      let chunk = random.pick(chunks);
      for (let k = random.int(1, 3); k > 0; k--) {
        const at = random.int(3, chunk.length);
        const cut = random.chance(0.3) ? random.int(1, 4) : 0;
        chunk = chunk.slice(0, at) + (random.chance(0.8) ? random.pick(ALPHABET) : '') + chunk.slice(Math.min(chunk.length, at + cut));
      }
      if (compare(chunk, 2, random.int(0, 50))) read++;
    }
    assert.ok(read > 800, `only ${read} of 4000 edited chunks were read`);
  });
});

function accepted(): string[] {
  return ['  s:\n    a: \'x y\'\n    b: ""\n    c: []\n    d: {}\n    e: -1\n    f: 0.50\n    l:\n      - a\n      - [b, {c: d}]\n'];
}

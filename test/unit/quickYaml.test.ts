import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { quickParse } from '../../common/src/document/quickYaml';
import { featuresModel } from '../../common/src/features/model';
import { localDiagnostics } from '../../common/src/validation/validate';
import { parseMlopsDocument, type DocumentKind } from '../../common/src';
import { Random } from '../helpers/lspRandom';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Every node's kind, value, range start and end and flow flag, in order. */
function shape(node: unknown): unknown {
  if (isPair(node)) return [shape(node.key), shape(node.value)];
  if (isMap(node)) return { map: node.items.map(shape), flow: !!node.flow, range: node.range?.slice(0, 1) };
  if (isSeq(node)) return { seq: node.items.map(shape), flow: !!node.flow, range: node.range?.slice(0, 1) };
  if (isScalar(node)) return { value: node.value, range: node.range?.slice(0, 2) };
  return node ?? null;
}

function same(text: string, kind: DocumentKind): boolean {
  const quick = quickParse(text);
  if (!quick) return false;
  const full = parseDocument(text, { uniqueKeys: false, keepSourceTokens: false });
  assert.deepEqual(shape(quick.contents), shape(full.contents), JSON.stringify(text));
  const doc = TextDocument.create(`file:///q.${kind}.yaml`, `mlops-${kind}`, 1, text);
  const quickDoc = { uri: doc.uri, kind, version: 1, text: doc, yaml: quick };
  const fullDoc = parseMlopsDocument(doc, kind);
  assert.deepEqual(localDiagnostics(quickDoc), localDiagnostics(fullDoc), JSON.stringify(text));
  if (kind === 'features') assert.deepEqual(featuresModel(quickDoc), featuresModel(fullDoc), JSON.stringify(text));
  return true;
}

const TEXTS: [string, DocumentKind][] = [
  [read('samples/churn/customer.features.yaml'), 'features'],
  [read('samples/churn/churn.monitor.yaml'), 'monitor'],
  [read('test/fixtures/fuzz/rich.features.yaml'), 'features'],
  [read('test/fixtures/fuzz/rich.monitor.yaml'), 'monitor'],
  [read('test/fixtures/features-workspace/entities.features.yaml'), 'features'],
  [read('test/fixtures/features-workspace/views.features.yaml'), 'features'],
];

describe('the quick reader of plain block YAML', () => {
  it('reads the samples and fixtures as the yaml package does, ranges included', () => {
    for (const [text, kind] of TEXTS) assert.ok(same(text, kind), text.slice(0, 60));
  });

  it('reads scalars as the core schema does and gives up where it is not sure', () => {
    assert.ok(same('a: 1\nb: 1.50\nc: true\nd: "q"\ne: \'s\'\nf: x y\ng: -3\nh: [a, b]\ni: { k: v, l: [1, 2] }\n', 'features'));
    for (const text of [
      'a: &x 1\n',
      'a: *x\n',
      'a: !t x\n',
      'a: |\n  x\n',
      'a:\n',
      'a: null\n',
      'a: 1\na: 2\n',
      'a: [1,\n  2]\n',
      '---\na: 1\n',
      'a: "x\\"y"\n',
      'a:\tb\n',
      'a: 0x1F\n',
      'a: b: c\n',
    ]) {
      assert.equal(quickParse(text), undefined, JSON.stringify(text));
    }
  });

  it('equals the full parse on every randomly edited text it accepts', () => {
    const random = new Random(20240501);
    const alphabet = ['\n', ' ', '  ', '- ', ': ', ',', '[', ']', '{', '}', '#', 'x', 'name', '"', "'", '1', '&', 'Int64', '\n  - '];
    let accepted = 0;
    for (let n = 0; n < 600; n++) {
      const [base, kind] = TEXTS[random.int(0, TEXTS.length - 1)]!;
      let text = base;
      for (let k = random.int(1, 3); k > 0; k--) {
        const at = random.int(0, text.length);
        const cut = random.int(0, 4);
        text = text.slice(0, at) + alphabet[random.int(0, alphabet.length - 1)]! + text.slice(Math.min(text.length, at + cut));
      }
      if (same(text, kind)) accepted++;
    }
    assert.ok(accepted > 100, `only ${accepted} of 600 edited texts were read quickly`);
  });
});

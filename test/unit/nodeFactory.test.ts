/**
 * Nodes made without the yaml package's constructors (common/src/document/nodeFactory.ts) must be
 * what the package's own are to everything that reads them: the type guards, `instanceof`, the
 * collections' schema and methods, `clone`, `toJSON`, and a document printed from them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Document,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  Scalar,
  visit,
  YAMLMap,
  YAMLSeq,
  type Node,
} from 'yaml';
import { NodeFactory } from '../../common/src/document/nodeFactory';
import { YAML_OPTIONS } from '../../common/src/document/chunks';

const schema = parseDocument('a: 1', YAML_OPTIONS).schema;
const nodes = new NodeFactory(schema);

/** `steps: { train: { run: python train.py, needs: [prep, 3] } }`, once from the factory, once from the constructors. */
function built(make: 'factory' | 'package'): YAMLMap {
  const scalar = <T>(v: T) => (make === 'factory' ? nodes.scalar(v) : new Scalar(v));
  const pair = (k: Node, v: Node) => (make === 'factory' ? nodes.pair(k, v) : new Pair(k, v));
  const map = () => (make === 'factory' ? nodes.map() : new YAMLMap(schema));
  const seq = () => (make === 'factory' ? nodes.seq() : new YAMLSeq(schema));
  const needs = seq();
  needs.flow = true;
  needs.items.push(scalar('prep'), scalar(3));
  const body = map();
  body.items.push(pair(scalar('run'), scalar('python train.py')), pair(scalar('needs'), needs));
  const steps = map();
  steps.items.push(pair(scalar('train'), body));
  const root = map();
  root.items.push(pair(scalar('steps'), steps));
  return root;
}

describe('nodeFactory', () => {
  it('makes nodes the type guards and instanceof recognise, as the package does', () => {
    const scalar = nodes.scalar('x');
    const pair = nodes.pair(scalar, nodes.scalar(1));
    const map = nodes.map();
    const seq = nodes.seq();
    const guards: [string, (node: unknown) => boolean][] = [
      ['isScalar', isScalar],
      ['isPair', isPair],
      ['isMap', isMap],
      ['isSeq', isSeq],
      ['isCollection', isCollection],
      ['isNode', isNode],
    ];
    const kinds = (node: unknown) => guards.filter(([, is]) => is(node)).map(([name]) => name);
    assert.deepEqual(kinds(scalar), ['isScalar', 'isNode']);
    assert.deepEqual(kinds(pair), ['isPair']);
    assert.deepEqual(kinds(map), ['isMap', 'isCollection', 'isNode']);
    assert.deepEqual(kinds(seq), ['isSeq', 'isCollection', 'isNode']);
    assert.ok(scalar instanceof Scalar && pair instanceof Pair && map instanceof YAMLMap && seq instanceof YAMLSeq);
    assert.equal(scalar.constructor, Scalar);
    assert.equal(map.schema, schema);
    assert.equal(seq.schema, schema);
    assert.deepEqual(Object.keys(scalar), Object.keys(new Scalar('x')));
    assert.deepEqual(Object.keys(map), Object.keys(new YAMLMap(schema)));
  });

  it('reads, prints, clones and visits like the package’s nodes', () => {
    const ours = built('factory');
    const theirs = built('package');
    assert.deepEqual(ours.toJSON(), theirs.toJSON());
    assert.deepEqual(ours.toJSON(), { steps: { train: { run: 'python train.py', needs: ['prep', 3] } } });
    assert.equal(ours.getIn(['steps', 'train', 'run']), 'python train.py');
    assert.equal(ours.hasIn(['steps', 'train', 'needs']), true);
    const print = (root: YAMLMap) => {
      const doc = new Document(null, YAML_OPTIONS);
      doc.contents = root;
      return doc.toString();
    };
    assert.equal(print(ours), print(theirs));
    const copy = ours.clone();
    assert.ok(isMap(copy) && copy !== ours);
    assert.deepEqual(copy.toJSON(), ours.toJSON());
    const seen: string[] = [];
    visit(ours, { Scalar: (_key, node) => void seen.push(String(node.value)) });
    assert.deepEqual(seen, ['steps', 'train', 'run', 'python train.py', 'needs', 'prep', '3']);
  });

  it('gives every node its own fields: an edit of one leaves the others alone', () => {
    const a = nodes.map();
    const b = nodes.map();
    a.items.push(nodes.pair(nodes.scalar('k'), nodes.scalar('v')));
    a.flow = true;
    assert.equal(b.items.length, 0);
    assert.equal(b.flow, undefined);
    const s = nodes.scalar('v');
    s.range = [0, 1, 1];
    assert.equal(nodes.scalar('w').range, undefined);
  });
});

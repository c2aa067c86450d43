import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pipelineGraph } from '../../common/src/pipeline/graph';
import { fitTransform, layoutGraph, type Layout } from '../../webviews/src/graph/layout';
import { parse } from '../helpers/documents';

const CHURN = readFileSync(path.resolve(__dirname, '../../samples/churn/churn.pipeline.yaml'), 'utf8');

describe('pipeline graph', () => {
  it('finds the churn sample steps, data edges with their outputs, and merges needs into data edges', () => {
    const graph = pipelineGraph(parse(CHURN));
    assert.equal(graph.pipeline, 'customer-churn');
    assert.deepEqual(
      graph.nodes.map((n) => n.id),
      ['training_set', 'preprocess', 'train', 'evaluate'],
    );
    assert.deepEqual(graph.nodes.find((n) => n.id === 'preprocess')?.outputs, ['train', 'test']);
    const train = graph.nodes.find((n) => n.id === 'train')!;
    assert.equal(train.image, 'python:3.11-slim', "the pipeline's image for a step without its own");
    assert.equal(train.retries, 0);
    assert.deepEqual(train.inputs, ['steps/train.py', '${{ steps.preprocess.outputs.train }}']);
    const own = pipelineGraph(
      parse('pipeline: p\nimage: a:1\nsteps:\n  s:\n    image: b:2\n    retries: 2\n    inputs: x.csv\n    run: x\n'),
    ).nodes[0]!;
    assert.deepEqual([own.image, own.retries, own.inputs], ['b:2', 2, ['x.csv']]);
    assert.equal(CHURN.slice(graph.nodes[2]!.offset, graph.nodes[2]!.offset + 'train'.length), 'train');
    const edges = graph.edges.map((e) => `${e.from}->${e.to}:${e.kind}:${e.outputs.join('+')}`).sort();
    assert.deepEqual(edges, [
      'preprocess->evaluate:data:test',
      'preprocess->train:data:train',
      'train->evaluate:data:model',
      'training_set->preprocess:data:training',
    ]);
  });

  it('keeps needs-only edges, skips unknown and self references, and survives a half-written file', () => {
    const graph = pipelineGraph(
      parse(
        'pipeline: p\nsteps:\n  a:\n    run: x ${{ steps.ghost.outputs.y }} ${{ steps.a.outputs.o }}\n  b:\n    needs: [a, nope]\n    run: y\n  c:\n    needs: [b\n',
      ),
    );
    assert.deepEqual(
      graph.nodes.map((n) => n.id),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      graph.edges.map((e) => [e.from, e.to, e.kind]),
      [
        ['a', 'b', 'needs'],
        ['b', 'c', 'needs'],
      ],
      'the recovered needs of c count',
    );
    assert.deepEqual(pipelineGraph(parse('')).nodes, []);
    assert.deepEqual(pipelineGraph(parse('- a\n- b\n')).nodes, []);
  });

  it('ignores step references outside ${{ }} and in keys', () => {
    const graph = pipelineGraph(
      parse('steps:\n  a:\n    run: x\n  b:\n    run: echo steps.a.outputs.z\n    env:\n      "${{ steps.a.outputs.k }}": 1\n'),
    );
    assert.deepEqual(graph.edges, []);
  });

  it('lays out top to bottom: every edge goes down, no two nodes overlap', () => {
    const graph = pipelineGraph(parse(CHURN));
    const layout = layoutGraph(graph, (text) => text.length * 7);
    const at = new Map(layout.nodes.map((n) => [n.id, n]));
    for (const edge of layout.edges) assert.ok(at.get(edge.from)!.y < at.get(edge.to)!.y, `${edge.from} above ${edge.to}`);
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        assert.ok(apart, `${a.id} and ${b.id} overlap`);
      }
    }
    assert.ok(layout.width > 0 && layout.height > 0);
  });
  it('keeps the positions of steps that stay while the file is edited, and places a new step without moving any', () => {
    const measure = (text: string) => text.length * 7;
    const before = layoutGraph(pipelineGraph(parse(CHURN)), measure);
    const previous = new Map(before.nodes.map((n) => [n.id, { x: n.x, y: n.y }]));
    // A step added after evaluate that reads its metrics, another on its own, and preprocess renamed away.
    const edited = CHURN.replace('  preprocess:', '  prep:')
      .replace(/steps\.preprocess\./g, 'steps.prep.')
      .replace(
        '\nregister:',
        '\n  report:\n    run: cat ${{ steps.evaluate.outputs.metrics }}\n  lonely_step_with_a_long_name:\n    run: echo hi\n\nregister:',
      );
    const after = layoutGraph(pipelineGraph(parse(edited)), measure, previous);
    const at = new Map(after.nodes.map((n) => [n.id, n]));
    for (const id of ['training_set', 'train', 'evaluate']) assert.deepEqual({ x: at.get(id)!.x, y: at.get(id)!.y }, previous.get(id), id);
    assert.ok(at.get('report')!.y > at.get('evaluate')!.y, 'report goes below evaluate');
    assertNoOverlap(after);
    assert.ok(!at.has('preprocess'));
  });

  it('lays out 500 steps without overlaps and fits them into a viewport', () => {
    const lines = ['pipeline: big', 'steps:'];
    for (let i = 0; i < 500; i++) {
      lines.push(`  s${i}:`, `    run: echo ${i}`);
      // 20 lanes of 25 steps, each also reading its neighbour lane: a wide, deep graph.
      if (i >= 20) lines.push(`    needs: [s${i - 20}${i % 20 ? `, s${i - 21}` : ''}]`);
    }
    const graph = pipelineGraph(parse(lines.join('\n') + '\n'));
    assert.equal(graph.nodes.length, 500);
    assert.equal(graph.edges.length, 480 + 456);
    const layout = layoutGraph(graph, (text) => text.length * 7);
    assertNoOverlap(layout);
    const fit = fitTransform(layout, 800, 600);
    assert.ok(layout.width * fit.k <= 800 + 1e-6 && layout.height * fit.k <= 600 + 1e-6, 'the fitted graph is inside the viewport');
    assert.ok(layout.minX * fit.k + fit.x >= -1e-6 && layout.minY * fit.k + fit.y >= -1e-6);
    // One more step, laid out from the previous positions: nothing else moves.
    const previous = new Map(layout.nodes.map((n) => [n.id, { x: n.x, y: n.y }]));
    const grown = layoutGraph(
      pipelineGraph(parse(lines.join('\n') + '\n  extra:\n    needs: [s7]\n    run: x\n')),
      (t) => t.length * 7,
      previous,
    );
    for (const n of grown.nodes) if (n.id !== 'extra') assert.deepEqual({ x: n.x, y: n.y }, previous.get(n.id));
    assertNoOverlap(grown);
  });
});

function assertNoOverlap(layout: Layout): void {
  const nodes = [...layout.nodes].sort((a, b) => a.x - b.x);
  for (let i = 0; i < nodes.length; i++) {
    const a = nodes[i]!;
    for (let j = i + 1; j < nodes.length; j++) {
      const b = nodes[j]!;
      if (b.x - a.x >= (a.width + b.width) / 2) break;
      const apart = Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
      assert.ok(apart, `${a.id} and ${b.id} overlap`);
    }
  }
}

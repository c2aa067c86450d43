import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pipelineGraph } from '../../common/src/pipeline/graph';
import { layoutGraph } from '../../webviews/src/graph/layout';
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
});

/**
 * The pipeline graph's layout of 500 steps (20 lanes of 25, each step also reading its
 * neighbour lane): a fresh layout (the page's fast layered layout, and dagre as the anchor it
 * replaces above 120 steps), and the layout after an edit, which keeps every position and places
 * one new step. Prints milliseconds; `npx tsx test/bench/graph/run.ts`.
 */
import dagre from '@dagrejs/dagre';
import { pipelineGraph } from '../../../common/src/pipeline/graph';
import { layoutGraph, layeredLayout, nodeWidth } from '../../../webviews/src/graph/layout';
import { parse } from '../../helpers/documents';

const measure = (text: string) => text.length * 7;
const lines = ['pipeline: big', 'steps:'];
for (let i = 0; i < 500; i++) {
  lines.push(`  s${i}:`, `    run: echo ${i}`);
  if (i >= 20) lines.push(`    needs: [s${i - 20}${i % 20 ? `, s${i - 21}` : ''}]`);
}
const graph = pipelineGraph(parse(`${lines.join('\n')}\n`));
const sizes = new Map(graph.nodes.map((n) => [n.id, nodeWidth(n.id, measure)]));

function time(label: string, run: () => unknown, repeat = 5): void {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(46)} median ${samples[Math.floor(samples.length / 2)]!.toFixed(1)} ms (min ${samples[0]!.toFixed(1)})`);
}

console.log(`${graph.nodes.length} steps, ${graph.edges.length} edges`);
time('fresh layout (layeredLayout)', () => layeredLayout(graph, sizes));
const fresh = layoutGraph(graph, measure);
const previous = new Map(fresh.nodes.map((n) => [n.id, { x: n.x, y: n.y }]));
const grown = pipelineGraph(parse(`${lines.join('\n')}\n  extra:\n    needs: [s7]\n    run: x\n`));
time('after an edit (positions kept, one step added)', () => layoutGraph(grown, measure, previous));
time(
  'anchor: dagre (network simplex), as below 120',
  () => {
    const g = new dagre.graphlib.Graph({ multigraph: false });
    g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 48 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of graph.nodes) g.setNode(n.id, { width: sizes.get(n.id)!, height: 50 });
    for (const e of graph.edges) g.setEdge(e.from, e.to);
    dagre.layout(g);
  },
  1,
);

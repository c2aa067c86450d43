import dagre from '@dagrejs/dagre';
import type { PipelineGraph } from '../../../common/src/pipeline/graph';

export interface PlacedNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'data' | 'needs';
  readonly label: string;
  readonly points: readonly { x: number; y: number }[];
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

const NODE_HEIGHT = 44;

/** Top-to-bottom layered layout (dagre); node width follows the label. */
export function layoutGraph(graph: PipelineGraph, measure: (text: string) => number): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 48, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: Math.max(96, measure(node.id) + 40), height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
  dagre.layout(g);
  const size = g.graph();
  return {
    width: size.width ?? 0,
    height: size.height ?? 0,
    nodes: graph.nodes.map((n) => {
      const placed = g.node(n.id);
      return { id: n.id, x: placed.x, y: placed.y, width: placed.width, height: placed.height };
    }),
    edges: graph.edges.map((e) => {
      const placed = g.edge(e.from, e.to) as { points?: { x: number; y: number }[] };
      return { from: e.from, to: e.to, kind: e.kind, label: e.outputs.join(', '), points: placed.points ?? [] };
    }),
  };
}

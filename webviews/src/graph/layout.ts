import dagre from '@dagrejs/dagre';
import type { PipelineGraph } from '../../../common/src/pipeline/graph';

/** A node's centre. */
export interface Position {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode extends Position {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'data' | 'needs';
  readonly label: string;
  /** From the bottom centre of `from` to the top centre of `to`. */
  readonly start: Position;
  readonly end: Position;
}

export interface Layout {
  /** The bounding box of the nodes with a margin: nodes kept from an earlier layout may sit anywhere. */
  readonly minX: number;
  readonly minY: number;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

export const NODE_HEIGHT = 50;
const MIN_WIDTH = 140;
const NODE_SEP = 28;
const RANK_SEP = 48;
const MARGIN = 16;
/**
 * dagre's crossing reduction takes seconds on hundreds of nodes (13 s for 500 steps in 20 lanes);
 * above this many the page lays out with layeredLayout, in milliseconds.
 */
const DAGRE_MAX_NODES = 120;

/** A node's width: its label plus room for the state line's icon and padding. */
export function nodeWidth(id: string, measure: (text: string) => number): number {
  return Math.max(MIN_WIDTH, Math.ceil(measure(id)) + 48);
}

/**
 * Top-to-bottom layered layout. Without `previous` every node is placed by dagre. With it (the
 * positions of the last drawing of the same file), nodes that are still there keep their
 * positions, so the graph does not jump while the file is edited; a new node goes below its
 * placed predecessors (or above its successors), moved right until it overlaps nothing, and no
 * other node moves.
 */
export function layoutGraph(graph: PipelineGraph, measure: (text: string) => number, previous?: ReadonlyMap<string, Position>): Layout {
  const sizes = new Map(graph.nodes.map((n) => [n.id, nodeWidth(n.id, measure)]));
  const kept = previous ? graph.nodes.filter((n) => previous.has(n.id)) : [];
  const placed = new Map<string, PlacedNode>();
  if (kept.length === 0) {
    const fresh = graph.nodes.length <= DAGRE_MAX_NODES ? dagreLayout(graph, sizes) : layeredLayout(graph, sizes);
    for (const node of fresh) placed.set(node.id, node);
  } else {
    for (const node of kept) {
      const at = previous!.get(node.id)!;
      placed.set(node.id, { id: node.id, x: at.x, y: at.y, width: sizes.get(node.id)!, height: NODE_HEIGHT });
    }
    placeNewNodes(graph, sizes, placed);
  }
  const nodes = graph.nodes.map((n) => placed.get(n.id)!);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of nodes) {
    minX = Math.min(minX, n.x - n.width / 2);
    minY = Math.min(minY, n.y - n.height / 2);
    maxX = Math.max(maxX, n.x + n.width / 2);
    maxY = Math.max(maxY, n.y + n.height / 2);
  }
  if (nodes.length === 0) minX = minY = maxX = maxY = 0;
  const edges = graph.edges.flatMap((e): PlacedEdge[] => {
    const from = placed.get(e.from);
    const to = placed.get(e.to);
    if (!from || !to) return [];
    return [
      {
        from: e.from,
        to: e.to,
        kind: e.kind,
        label: e.outputs.join(', '),
        start: { x: from.x, y: from.y + from.height / 2 },
        end: { x: to.x, y: to.y - to.height / 2 },
      },
    ];
  });
  return {
    minX: minX - MARGIN,
    minY: minY - MARGIN,
    width: maxX - minX + 2 * MARGIN,
    height: maxY - minY + 2 * MARGIN,
    nodes,
    edges,
  };
}

function dagreLayout(graph: PipelineGraph, sizes: ReadonlyMap<string, number>): PlacedNode[] {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: NODE_SEP, ranksep: RANK_SEP, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: sizes.get(node.id)!, height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
  dagre.layout(g);
  return graph.nodes.map((n) => {
    const at = g.node(n.id);
    return { id: n.id, x: at.x, y: at.y, width: at.width, height: at.height };
  });
}

/**
 * A fast layered layout for big graphs: ranks by longest path from the sources (edges that close a
 * cycle, possible while the file is half-written, are ignored), a few barycentre sweeps to order
 * each rank, then each node as near the mean of its predecessors as the nodes left of it allow.
 */
export function layeredLayout(graph: PipelineGraph, sizes: ReadonlyMap<string, number>): PlacedNode[] {
  const ids = graph.nodes.map((n) => n.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const preds: number[][] = ids.map(() => []);
  const succs: number[][] = ids.map(() => []);
  for (const e of graph.edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined || from === to) continue;
    preds[to]!.push(from);
    succs[from]!.push(to);
  }
  // Kahn's order; nodes left in a cycle are released in document order.
  const indegree = preds.map((p) => p.length);
  const rank = ids.map(() => 0);
  const done = ids.map(() => false);
  const queue: number[] = [];
  indegree.forEach((d, i) => d === 0 && queue.push(i));
  for (let released = 0; released < ids.length;) {
    if (queue.length === 0) queue.push(done.findIndex((d) => !d));
    const i = queue.shift()!;
    if (done[i]) continue;
    done[i] = true;
    released++;
    for (const j of succs[i]!) {
      if (done[j]) continue;
      rank[j] = Math.max(rank[j]!, rank[i]! + 1);
      if (--indegree[j]! === 0) queue.push(j);
    }
  }
  const ranks: number[][] = [];
  ids.forEach((_, i) => (ranks[rank[i]!] ??= []).push(i));
  const layers = ranks.filter((r) => r !== undefined);
  const position = new Float64Array(ids.length);
  const renumber = () => layers.forEach((layer) => layer.forEach((i, k) => (position[i] = k / Math.max(1, layer.length - 1))));
  renumber();
  const barycentre = (i: number, neighbours: readonly number[]) =>
    neighbours.length === 0 ? position[i]! : neighbours.reduce((sum, j) => sum + position[j]!, 0) / neighbours.length;
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers : [...layers].reverse();
    for (const layer of order) {
      const key = new Map(layer.map((i) => [i, barycentre(i, down ? preds[i]! : succs[i]!)]));
      layer.sort((a, b) => key.get(a)! - key.get(b)!);
      layer.forEach((i, k) => (position[i] = k / Math.max(1, layer.length - 1)));
    }
  }
  const x = new Float64Array(ids.length);
  const out: PlacedNode[] = [];
  layers.forEach((layer, r) => {
    let right = -Infinity;
    for (const i of layer) {
      const width = sizes.get(ids[i]!)!;
      const placedPreds = preds[i]!.filter((j) => rank[j]! < r);
      const wanted = placedPreds.length > 0 ? placedPreds.reduce((sum, j) => sum + x[j]!, 0) / placedPreds.length : MARGIN + width / 2;
      x[i] = Math.max(wanted, right + NODE_SEP + width / 2);
      right = x[i]! + width / 2;
      out.push({ id: ids[i]!, x: x[i]!, y: MARGIN + NODE_HEIGHT / 2 + r * (NODE_HEIGHT + RANK_SEP), width, height: NODE_HEIGHT });
    }
  });
  const minX = Math.min(...out.map((n) => n.x - n.width / 2));
  return out.map((n) => ({ ...n, x: n.x - minX + MARGIN }));
}

/** Places the nodes not in `placed` one by one, in document order, without moving any placed node. */
function placeNewNodes(graph: PipelineGraph, sizes: ReadonlyMap<string, number>, placed: Map<string, PlacedNode>): void {
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const e of graph.edges) {
    preds.set(e.to, [...(preds.get(e.to) ?? []), e.from]);
    succs.set(e.from, [...(succs.get(e.from) ?? []), e.to]);
  }
  const rank = NODE_HEIGHT + RANK_SEP;
  for (const node of graph.nodes) {
    if (placed.has(node.id)) continue;
    const width = sizes.get(node.id)!;
    const above = (preds.get(node.id) ?? []).map((id) => placed.get(id)).filter((n): n is PlacedNode => n !== undefined);
    const below = (succs.get(node.id) ?? []).map((id) => placed.get(id)).filter((n): n is PlacedNode => n !== undefined);
    const all = [...placed.values()];
    let x: number;
    let y: number;
    if (above.length > 0) {
      x = mean(above.map((n) => n.x));
      y = Math.max(...above.map((n) => n.y)) + rank;
    } else if (below.length > 0) {
      x = mean(below.map((n) => n.x));
      y = Math.min(...below.map((n) => n.y)) - rank;
    } else if (all.length > 0) {
      // Unconnected: on the top row, right of everything.
      x = Math.max(...all.map((n) => n.x + n.width / 2)) + NODE_SEP + width / 2;
      y = Math.min(...all.map((n) => n.y));
    } else {
      x = MARGIN + width / 2;
      y = MARGIN + NODE_HEIGHT / 2;
    }
    x = freeSpot(x, y, width, all);
    placed.set(node.id, { id: node.id, x, y, width, height: NODE_HEIGHT });
  }
}

/** Moves x right past every node its box (with the node gap) would overlap on that row. */
function freeSpot(x: number, y: number, width: number, nodes: readonly PlacedNode[]): number {
  const row = nodes.filter((n) => Math.abs(n.y - y) < (n.height + NODE_HEIGHT) / 2 + RANK_SEP / 4).sort((a, b) => a.x - b.x);
  for (let moved = true; moved;) {
    moved = false;
    for (const n of row) {
      const gap = (n.width + width) / 2 + NODE_SEP;
      if (Math.abs(n.x - x) < gap) {
        x = n.x + gap;
        moved = true;
      }
    }
  }
  return x;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The scale and offset that show the whole layout in a viewport of this size, centred across and from the top (never above `maxScale`). */
export function fitTransform(
  layout: Pick<Layout, 'minX' | 'minY' | 'width' | 'height'>,
  viewWidth: number,
  viewHeight: number,
  maxScale = 1.5,
): { k: number; x: number; y: number } {
  const k = Math.max(0.01, Math.min(maxScale, viewWidth / Math.max(1, layout.width), viewHeight / Math.max(1, layout.height)));
  return {
    k,
    x: (viewWidth - layout.width * k) / 2 - layout.minX * k,
    y: -layout.minY * k,
  };
}

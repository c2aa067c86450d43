import { isMap, isPair, isScalar, isSeq, visit, type Node, type YAMLMap } from 'yaml';
import type { ParsedDocument } from '../document/parsedDocument';

export interface GraphNode {
  readonly id: string;
  readonly description?: string;
  /** Offset of the step's key in the document, for "reveal in editor". */
  readonly offset: number;
  readonly outputs: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `data`: the step reads `steps.FROM.outputs.*`; `needs`: an explicit edge only. */
  readonly kind: 'data' | 'needs';
  /** The outputs that flow along a data edge. */
  readonly outputs: readonly string[];
}

/** The DAG of a pipeline file as FORMATS.md defines its edges: `needs`, plus every `steps.X.outputs.Y` reference. */
export interface PipelineGraph {
  readonly pipeline?: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
const STEP_OUTPUT = /\bsteps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/**
 * Reads the graph from whatever parses: a half-written file still shows the
 * steps it has. References to unknown steps are left out (the validator
 * reports them).
 */
export function pipelineGraph(doc: ParsedDocument): PipelineGraph {
  const root = doc.yaml.contents;
  if (!isMap(root)) return { nodes: [], edges: [] };
  const name = root.get('pipeline');
  const steps = root.get('steps', true);
  const nodes: GraphNode[] = [];
  const stepBodies = new Map<string, YAMLMap | undefined>();
  if (isMap(steps)) {
    for (const pair of steps.items) {
      if (!isScalar(pair.key) || pair.key.value === null || pair.key.value === undefined) continue;
      const id = String(pair.key.value);
      if (stepBodies.has(id)) continue;
      const body = isMap(pair.value) ? pair.value : undefined;
      stepBodies.set(id, body);
      const description = body?.get('description');
      const outputs = body?.get('outputs', true);
      nodes.push({
        id,
        ...(typeof description === 'string' ? { description } : {}),
        offset: pair.key.range?.[0] ?? 0,
        outputs: isMap(outputs) ? outputs.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : [])) : [],
      });
    }
  }
  const edges = new Map<string, { from: string; to: string; kind: 'data' | 'needs'; outputs: Set<string> }>();
  const edge = (from: string, to: string, kind: 'data' | 'needs', output?: string) => {
    if (!stepBodies.has(from) || from === to) return;
    const key = `${from}\u0000${to}`;
    const existing = edges.get(key) ?? { from, to, kind, outputs: new Set<string>() };
    if (kind === 'data') existing.kind = 'data';
    if (output) existing.outputs.add(output);
    edges.set(key, existing);
  };
  for (const [id, body] of stepBodies) {
    if (!body) continue;
    const needs = body.get('needs', true);
    if (isSeq(needs)) for (const item of needs.items) if (isScalar(item)) edge(String(item.value), id, 'needs');
    for (const text of stringsIn(body)) {
      for (const expression of text.matchAll(EXPRESSION)) {
        for (const ref of (expression[1] ?? '').matchAll(STEP_OUTPUT)) edge(ref[1]!, id, 'data', ref[2]);
      }
    }
  }
  return {
    ...(typeof name === 'string' ? { pipeline: name } : {}),
    nodes,
    edges: [...edges.values()].map((e) => ({ from: e.from, to: e.to, kind: e.kind, outputs: [...e.outputs].sort() })),
  };
}

/** Every string scalar value below `node` (keys excluded). */
function stringsIn(node: Node): string[] {
  const out: string[] = [];
  visit(node, {
    Scalar(key, scalar, path) {
      const parent = path[path.length - 1];
      if (key === 'key' && isPair(parent)) return;
      if (typeof scalar.value === 'string') out.push(scalar.value);
    },
  });
  return out;
}

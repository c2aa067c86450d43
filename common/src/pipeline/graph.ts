import { isScalar, isSeq, type YAMLMap } from 'yaml';
import type { ParsedDocument } from '../document/parsedDocument';
import { scalarText, stringValue } from '../yaml/nodes';
import { pipelineModel } from './model';

export interface GraphNode {
  readonly id: string;
  readonly description?: string;
  /** Offset of the step's key in the document, for "reveal in editor". */
  readonly offset: number;
  readonly outputs: readonly string[];
  /** The step's `image`, else the pipeline's (used by Kubeflow/Argo exports). */
  readonly image?: string;
  /** `retries` as written (0 when absent): a step runs at most retries + 1 times. */
  readonly retries: number;
  /** `inputs` as written (expressions unresolved). */
  readonly inputs: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `data`: the step reads `steps.FROM.outputs.*`; `needs`: an explicit edge only. */
  readonly kind: 'data' | 'needs';
  /** The outputs that flow along a data edge. */
  readonly outputs: readonly string[];
}

/** The DAG of a pipeline file as docs/formats.md (section Pipeline files) defines its edges: `needs`, plus every `steps.X.outputs.Y` reference. */
export interface PipelineGraph {
  readonly pipeline?: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/**
 * Reads the graph from whatever parses: a half-written file still shows the
 * steps it has. References to unknown steps are left out (the validator
 * reports them).
 */
export function pipelineGraph(doc: ParsedDocument): PipelineGraph {
  const model = pipelineModel(doc);
  const pipelineImage = stringValue(model.root, 'image')?.trim();
  const nodes: GraphNode[] = [...model.steps.values()].map((step) => {
    const image = stringValue(step.body, 'image')?.trim() || pipelineImage;
    return {
      id: step.name,
      ...(step.description !== undefined ? { description: step.description } : {}),
      offset: step.start,
      outputs: [...step.outputs.keys()],
      ...(image ? { image } : {}),
      retries: retriesOf(step.body),
      inputs: inputsOf(step.body),
    };
  });
  const edges = new Map<string, { from: string; to: string; kind: 'data' | 'needs'; outputs: Set<string> }>();
  for (const use of model.uses) {
    if (use.inStep === undefined || use.own) continue;
    const from = use.kind === 'output' ? use.step : use.kind === 'step' ? use.name : undefined;
    if (from === undefined || from === use.inStep || !model.steps.has(from)) continue;
    const key = `${from}\u0000${use.inStep}`;
    const edge = edges.get(key) ?? { from, to: use.inStep, kind: use.origin === 'needs' ? 'needs' : 'data', outputs: new Set<string>() };
    if (use.origin === 'expression') edge.kind = 'data';
    if (use.kind === 'output') edge.outputs.add(use.name);
    edges.set(key, edge);
  }
  const name = model.name?.value;
  return {
    ...(typeof name === 'string' ? { pipeline: name } : {}),
    nodes,
    edges: [...edges.values()].map((e) => ({ from: e.from, to: e.to, kind: e.kind, outputs: [...e.outputs].sort() })),
  };
}

function retriesOf(body: YAMLMap | undefined): number {
  const value = body?.get('retries', true);
  return isScalar(value) && typeof value.value === 'number' && Number.isInteger(value.value) && value.value > 0 ? value.value : 0;
}

function inputsOf(body: YAMLMap | undefined): string[] {
  const value = body?.get('inputs', true);
  if (isSeq(value)) return value.items.map(scalarText).filter((t): t is string => t !== undefined);
  const one = scalarText(value);
  return one !== undefined ? [one] : [];
}

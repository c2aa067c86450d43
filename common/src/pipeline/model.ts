import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { ParsedDocument } from '../document/parsedDocument';
import type { Span, Template } from '../expressions/ast';
import { findTemplates } from '../expressions/parser';
import { classifyTemplate } from './references';
import { keySpec, OUTPUT_TYPES, type OutputType, type ParamType } from './schema';

/** A name as declared: its text and the span of its key. */
export interface Declared extends Span {
  readonly name: string;
}

export interface ParamDecl extends Declared {
  readonly pair: Pair;
  /** The `{ type, default, ... }` map; undefined for the shorthand `name: default`. */
  readonly spec?: YAMLMap;
  /** The declared type, else the one inferred from the default, else `string`. */
  readonly type: ParamType;
  readonly typeDeclared: boolean;
  readonly defaultNode?: Node;
  readonly description?: string;
}

export interface OutputDecl extends Declared {
  readonly step: string;
  readonly pair: Pair;
  readonly path?: string;
  readonly pathNode?: Scalar;
  readonly type: OutputType;
  readonly description?: string;
}

export interface StepDecl extends Declared {
  readonly pair: Pair;
  readonly body?: YAMLMap;
  readonly run?: string;
  readonly description?: string;
  readonly workdir?: string;
  readonly needs: readonly Declared[];
  /** First declaration of each output name, in document order. */
  readonly outputs: ReadonlyMap<string, OutputDecl>;
}

/** Where a `${{ }}` sits and what may appear there. */
export interface ExpressionSite {
  readonly template: Template;
  /** The step whose key holds it; undefined at the top level and in `register`. */
  readonly step?: string;
  /** The key it belongs to, for messages: `run`, `env`, `inputs`, `register.from`, ... */
  readonly key: string;
  readonly condition: boolean;
  /** False where FORMATS.md does not evaluate expressions (`outputs`, `workdir`, ...). */
  readonly allowed: boolean;
}

/**
 * One use of a declared name: a segment of a reference or a `needs` entry.
 * `kind: 'output'` names the producing step in `step`.
 */
export interface NameUse extends Span {
  readonly kind: 'param' | 'step' | 'output';
  readonly name: string;
  readonly step?: string;
  /** The step the use sits in, if any. */
  readonly inStep?: string;
  readonly origin: 'expression' | 'needs';
  /** `outputs.NAME`: the current step's own output. */
  readonly own?: boolean;
  readonly site?: ExpressionSite;
}

/** A dependency edge `from` -> `to` (to runs after from), placed where it is written. */
export interface DependencyEdge extends Span {
  readonly from: string;
  readonly to: string;
  readonly kind: 'needs' | 'data';
}

export interface PipelineModel {
  readonly doc: ParsedDocument;
  readonly root?: YAMLMap;
  readonly name?: Scalar;
  readonly params: ReadonlyMap<string, ParamDecl>;
  readonly steps: ReadonlyMap<string, StepDecl>;
  readonly register?: YAMLMap;
  readonly sites: readonly ExpressionSite[];
  readonly uses: readonly NameUse[];
  /** `bad-expression` problems found while reading references. */
  readonly expressionProblems: readonly (Span & { message: string })[];
  readonly edges: readonly DependencyEdge[];
  usesOf(kind: NameUse['kind'], name: string, step?: string): readonly NameUse[];
}

const cache = new WeakMap<ParsedDocument, PipelineModel>();

/** The typed view of a pipeline document, built once per parsed version. */
export function pipelineModel(doc: ParsedDocument): PipelineModel {
  let model = cache.get(doc);
  if (!model) {
    model = buildModel(doc);
    cache.set(doc, model);
  }
  return model;
}

export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return typeof node.value === 'object' ? undefined : String(node.value);
}

export function keyOf(pair: Pair): Declared | undefined {
  const name = scalarText(pair.key);
  const range = (pair.key as Scalar | null)?.range;
  return name === undefined || !range ? undefined : { name, start: range[0], end: range[1] };
}

function stringValue(map: YAMLMap | undefined, key: string): string | undefined {
  const value = map?.get(key, true);
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}

function inferType(value: unknown): ParamType {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'string';
}

function readParams(node: unknown): Map<string, ParamDecl> {
  const params = new Map<string, ParamDecl>();
  if (!isMap(node)) return params;
  for (const pair of node.items) {
    const key = keyOf(pair);
    if (!key || params.has(key.name)) continue;
    if (isMap(pair.value)) {
      const spec = pair.value;
      const declared = scalarText(spec.get('type', true));
      const defaultNode = spec.get('default', true) as Node | undefined;
      const type = (declared as ParamType | undefined) ?? (isScalar(defaultNode) ? inferType(defaultNode.value) : 'string');
      const description = stringValue(spec, 'description');
      params.set(key.name, { ...key, pair, spec, type, typeDeclared: declared !== undefined, ...(defaultNode ? { defaultNode } : {}), ...(description ? { description } : {}) });
    } else {
      const value = pair.value as Node | null;
      params.set(key.name, { ...key, pair, type: inferType(isScalar(value) ? value.value : undefined), typeDeclared: false, ...(value ? { defaultNode: value } : {}) });
    }
  }
  return params;
}

function readOutputs(step: string, node: unknown): Map<string, OutputDecl> {
  const outputs = new Map<string, OutputDecl>();
  if (!isMap(node)) return outputs;
  for (const pair of node.items) {
    const key = keyOf(pair);
    if (!key || outputs.has(key.name)) continue;
    const spec = isMap(pair.value) ? pair.value : undefined;
    const pathNode = spec ? spec.get('path', true) : pair.value;
    const path = isScalar(pathNode) && typeof pathNode.value === 'string' ? pathNode.value : undefined;
    const declaredType = stringValue(spec, 'type');
    const type = (OUTPUT_TYPES as readonly string[]).includes(declaredType ?? '') ? (declaredType as OutputType) : 'file';
    const description = stringValue(spec, 'description');
    outputs.set(key.name, {
      ...key,
      step,
      pair,
      type,
      ...(path !== undefined && isScalar(pathNode) ? { path, pathNode } : {}),
      ...(description ? { description } : {}),
    });
  }
  return outputs;
}

function readNeeds(node: unknown): Declared[] {
  const items = isSeq(node) ? node.items : isScalar(node) ? [node] : [];
  return items.flatMap((item) => {
    const name = scalarText(item);
    const range = (item as Scalar).range;
    return name !== undefined && range ? [{ name, start: range[0], end: range[1] }] : [];
  });
}

function buildModel(doc: ParsedDocument): PipelineModel {
  const root = isMap(doc.yaml.contents) ? doc.yaml.contents : undefined;
  const source = doc.text.getText();
  const sites: ExpressionSite[] = [];
  const steps = new Map<string, StepDecl>();

  /** Collects every template in the string scalars below `node`. */
  const collect = (node: unknown, key: string, allowed: boolean, condition: boolean, step?: string) => {
    forEachStringScalar(node, (scalar) => {
      const range = scalar.range;
      if (!range || !(scalar.value as string).includes('${{')) return;
      for (const template of findTemplates(source, range[0], range[1])) {
        sites.push({ template, key, allowed, condition, ...(step !== undefined ? { step } : {}) });
      }
    });
  };

  const params = readParams(root?.get('params', true));
  const stepsNode = root?.get('steps', true);
  if (isMap(stepsNode)) {
    for (const pair of stepsNode.items) {
      const key = keyOf(pair);
      if (!key || steps.has(key.name)) continue;
      const body = isMap(pair.value) ? pair.value : undefined;
      const run = stringValue(body, 'run');
      const description = stringValue(body, 'description');
      const workdir = stringValue(body, 'workdir');
      steps.set(key.name, {
        ...key,
        pair,
        ...(body ? { body } : {}),
        ...(run !== undefined ? { run } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(workdir !== undefined ? { workdir } : {}),
        needs: readNeeds(body?.get('needs', true)),
        outputs: readOutputs(key.name, body?.get('outputs', true)),
      });
      for (const item of body?.items ?? []) {
        const itemKey = scalarText(item.key);
        // Unknown keys get their own diagnostic; their expressions are not judged.
        if (itemKey === undefined || itemKey === 'description' || !keySpec('step', itemKey)) continue;
        const allowed = itemKey === 'run' || itemKey === 'env' || itemKey === 'inputs';
        collect(item.value, itemKey, allowed, false, key.name);
      }
    }
  }
  for (const item of root?.items ?? []) {
    const key = scalarText(item.key);
    if (key === undefined || key === 'steps' || key === 'description' || !keySpec('top', key)) continue;
    if (key === 'register' && isMap(item.value)) {
      for (const entry of item.value.items) {
        const entryKey = scalarText(entry.key);
        if (entryKey === undefined || !keySpec('register', entryKey)) continue;
        collect(entry.value, `register.${entryKey}`, entryKey === 'from' || entryKey === 'when', entryKey === 'when');
      }
      continue;
    }
    collect(item.value, key, key === 'env', false);
  }
  sites.sort((a, b) => a.template.start - b.template.start);

  const uses: NameUse[] = [];
  const expressionProblems: (Span & { message: string })[] = [];
  for (const site of sites) classifyTemplate(site, uses, expressionProblems);
  for (const step of steps.values()) {
    for (const need of step.needs) uses.push({ kind: 'step', name: need.name, start: need.start, end: need.end, inStep: step.name, origin: 'needs' });
  }
  uses.sort((a, b) => a.start - b.start);

  const edges: DependencyEdge[] = [];
  for (const use of uses) {
    if (use.kind !== 'step' || use.inStep === undefined) continue;
    edges.push({ from: use.name, to: use.inStep, kind: use.origin === 'needs' ? 'needs' : 'data', start: use.start, end: use.end });
  }

  const index = new Map<string, NameUse[]>();
  for (const use of uses) {
    const key = indexKey(use.kind, use.name, use.step);
    const list = index.get(key);
    if (list) list.push(use);
    else index.set(key, [use]);
  }
  const nameNode = root?.get('pipeline', true);
  const register = root?.get('register', true);
  return {
    doc,
    ...(root ? { root } : {}),
    ...(isScalar(nameNode) ? { name: nameNode } : {}),
    params,
    steps,
    ...(isMap(register) ? { register } : {}),
    sites,
    uses,
    expressionProblems,
    edges,
    usesOf: (kind, name, step) => index.get(indexKey(kind, name, step)) ?? [],
  };
}

function indexKey(kind: NameUse['kind'], name: string, step: string | undefined): string {
  return kind === 'output' ? `output\u0000${step ?? ''}\u0000${name}` : `${kind}\u0000${name}`;
}

/** Every string scalar value below `node`, map keys excluded. */
export function forEachStringScalar(node: unknown, visit: (scalar: Scalar) => void): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') visit(node);
  } else if (isMap(node)) {
    for (const pair of node.items) forEachStringScalar(pair.value, visit);
  } else if (isSeq(node)) {
    for (const item of node.items) forEachStringScalar(item, visit);
  }
}

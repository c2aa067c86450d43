import { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { ParsedDocument } from '../document/parsedDocument';
import type { Span, Template } from '../expressions/ast';
import { keyOf, scalarText, stringValue, type Declared } from '../yaml/nodes';
import { keySpec, type OutputType, type ParamType } from './schema';
import {
  finishPart,
  isStepPart,
  newPart,
  readExpressions,
  stepPart,
  type ExpressionProblem,
  type ModelPart,
  type SitePlace,
} from './stepModel';

export { keyOf, scalarText, type Declared } from '../yaml/nodes';
export type { ExpressionProblem, ModelPart } from './stepModel';

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
  /** In document offsets. A site of a step may parse it again on each read (./located.ts): keep what you read. */
  readonly template: Template;
  /** The step whose key holds it; undefined at the top level and in `register`. */
  readonly step?: string;
  /** The key it belongs to, for messages: `run`, `env`, `inputs`, `register.from`, ... */
  readonly key: string;
  readonly condition: boolean;
  /** False where docs/formats.md (section Expressions) does not evaluate expressions (`outputs`, `workdir`, ...). */
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
  /**
   * The model in document order: a part per top-level key with expressions and
   * per step. Rules walk these; the flat lists below are joined from them on
   * first use.
   */
  readonly parts: readonly ModelPart[];
  /**
   * Stands for the declared names (params, step ids in order, each step's
   * outputs): the same object from one version to the next while they stay
   * the same, so that results that depend only on them can be kept
   * (./partResults.ts).
   */
  readonly declarations: object;
  readonly sites: readonly ExpressionSite[];
  readonly uses: readonly NameUse[];
  /** `bad-expression` problems found while reading references. */
  readonly expressionProblems: readonly ExpressionProblem[];
  readonly edges: readonly DependencyEdge[];
  usesOf(kind: NameUse['kind'], name: string, step?: string): readonly NameUse[];
}

const cache = new WeakMap<ParsedDocument, PipelineModel>();
/** The model last built on each root map; a splice keeps the root map (document/splice.ts). */
const lastOnRoot = new WeakMap<YAMLMap, PipelineModel>();

/**
 * The typed view of a pipeline document, built once per parsed version. Each
 * step is read once per YAML Pair (./stepModel.ts), so after an edit that the
 * parse cache splices, only the edited step is read again and the rest is
 * joined in document order.
 */
export function pipelineModel(doc: ParsedDocument): PipelineModel {
  let model = cache.get(doc);
  if (!model) {
    model = buildModel(doc);
    cache.set(doc, model);
  }
  return model;
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
      params.set(key.name, {
        ...key,
        pair,
        spec,
        type,
        typeDeclared: declared !== undefined,
        ...(defaultNode ? { defaultNode } : {}),
        ...(description ? { description } : {}),
      });
    } else {
      const value = pair.value as Node | null;
      params.set(key.name, {
        ...key,
        pair,
        type: inferType(isScalar(value) ? value.value : undefined),
        typeDeclared: false,
        ...(value ? { defaultNode: value } : {}),
      });
    }
  }
  return params;
}

function buildModel(doc: ParsedDocument): PipelineModel {
  const root = isMap(doc.yaml.contents) ? doc.yaml.contents : undefined;
  const source = doc.text.getText();
  const steps = new Map<string, StepDecl>();
  const parts: ModelPart[] = [];

  /** The top level and `register` are small: read on every version. */
  const readTopLevel = (node: unknown, place: SitePlace) => {
    const part = newPart();
    readExpressions(source, node, place, part);
    if (part.sites.length > 0) parts.push(finishPart(part));
  };

  // Root pairs are in document order, and so are the parts read from each: every joined list is sorted by offset.
  let stepsSeen = false;
  for (const item of root?.items ?? []) {
    const key = scalarText(item.key);
    if (key === undefined || key === 'description' || !keySpec('top', key)) continue;
    if (key === 'steps') {
      // Like `root.get('steps')`, the first `steps:` counts; a repeat is a duplicate-key error.
      if (stepsSeen) continue;
      stepsSeen = true;
      if (!isMap(item.value)) continue;
      for (const pair of item.value.items) {
        const name = scalarText(pair.key);
        if (name === undefined || steps.has(name)) continue;
        const part = stepPart(pair, source);
        if (!part) continue;
        steps.set(name, part.decl);
        parts.push(part);
      }
      continue;
    }
    if (key === 'register' && isMap(item.value)) {
      for (const entry of item.value.items) {
        const entryKey = scalarText(entry.key);
        if (entryKey === undefined || !keySpec('register', entryKey)) continue;
        readTopLevel(entry.value, {
          key: `register.${entryKey}`,
          allowed: entryKey === 'from' || entryKey === 'when',
          condition: entryKey === 'when',
        });
      }
      continue;
    }
    readTopLevel(item.value, { key, allowed: key === 'env', condition: false });
  }

  const joined = new Map<keyof ModelPart, unknown[]>();
  const join = <K extends keyof ModelPart>(list: K): ModelPart[K] => {
    let all = joined.get(list);
    if (!all) {
      all = [];
      for (const part of parts) for (const item of part[list]) all.push(item);
      joined.set(list, all);
    }
    return all as unknown as ModelPart[K];
  };
  let index: Map<string, NameUse[]> | undefined;
  const usesOf = (kind: NameUse['kind'], name: string, step?: string): readonly NameUse[] => {
    if (!index) {
      index = new Map();
      for (const use of join('uses')) {
        const key = indexKey(use.kind, use.name, use.step);
        const list = index.get(key);
        if (list) list.push(use);
        else index.set(key, [use]);
      }
    }
    return index.get(indexKey(kind, name, step)) ?? [];
  };
  const nameNode = root?.get('pipeline', true);
  const register = root?.get('register', true);
  const params = readParams(root?.get('params', true));
  const previous = root && lastOnRoot.get(root);
  const model: PipelineModel = {
    doc,
    ...(root ? { root } : {}),
    ...(isScalar(nameNode) ? { name: nameNode } : {}),
    params,
    steps,
    ...(isMap(register) ? { register } : {}),
    parts,
    declarations: previous && sameDeclarations(previous, params, parts) ? previous.declarations : {},
    get sites() {
      return join('sites');
    },
    get uses() {
      return join('uses');
    },
    get expressionProblems() {
      return join('problems');
    },
    get edges() {
      return join('edges');
    },
    usesOf,
  };
  if (root) lastOnRoot.set(root, model);
  return model;
}

/** Whether `params` and the steps among `parts` declare the names `previous` does, in the same order. */
function sameDeclarations(previous: PipelineModel, params: ReadonlyMap<string, ParamDecl>, parts: readonly ModelPart[]): boolean {
  if (previous.parts.length !== parts.length || !sameKeys(previous.params, params)) return false;
  for (let i = 0; i < parts.length; i++) {
    const before = previous.parts[i]!;
    const now = parts[i]!;
    if (before === now) continue;
    if (isStepPart(before) !== isStepPart(now)) return false;
    if (isStepPart(before) && isStepPart(now) && (before.decl.name !== now.decl.name || !sameKeys(before.decl.outputs, now.decl.outputs)))
      return false;
  }
  return true;
}

function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  const keys = b.keys();
  for (const key of a.keys()) if (keys.next().value !== key) return false;
  return true;
}

function indexKey(kind: NameUse['kind'], name: string, step: string | undefined): string {
  return kind === 'output' ? `output\u0000${step ?? ''}\u0000${name}` : `${kind}\u0000${name}`;
}

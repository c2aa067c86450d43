import { isMap, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Expr, Segment, Span } from '../expressions/ast';
import { keyOf, type Declared, type PipelineModel } from './model';
import type { PipelineContext } from './schema';

/** A name the user can hover, navigate and rename: a declaration or a use. */
export interface NamedSymbol extends Span {
  readonly kind: 'param' | 'step' | 'output';
  readonly name: string;
  /** Outputs: the producing step. */
  readonly step?: string;
  readonly isDeclaration: boolean;
}

/** A key of the format, for hover documentation. */
export interface KeySymbol extends Span {
  readonly kind: 'key';
  readonly context: PipelineContext;
  readonly key: string;
}

/** An expression root or field such as `run` in `run.id`. */
export interface RootSymbol extends Span {
  readonly kind: 'root';
  readonly path: string;
}

export type SymbolAt = NamedSymbol | KeySymbol | RootSymbol;

interface Declarations {
  /** Every param, step and output declaration key, sorted by offset. */
  readonly sorted: readonly NamedSymbol[];
}

const declarationCache = new WeakMap<PipelineModel, Declarations>();

function declarations(model: PipelineModel): Declarations {
  let cached = declarationCache.get(model);
  if (!cached) {
    const sorted: NamedSymbol[] = [];
    const add = (d: Declared, kind: NamedSymbol['kind'], step?: string) =>
      sorted.push({ kind, name: d.name, start: d.start, end: d.end, isDeclaration: true, ...(step !== undefined ? { step } : {}) });
    for (const p of model.params.values()) add(p, 'param');
    for (const s of model.steps.values()) {
      add(s, 'step');
      for (const o of s.outputs.values()) add(o, 'output', s.name);
    }
    sorted.sort((a, b) => a.start - b.start);
    cached = { sorted };
    declarationCache.set(model, cached);
  }
  return cached;
}

/** The last entry of `sorted` whose start is <= offset (binary search). */
function lastStartingAtOrBefore<T>(
  sorted: readonly T[],
  offset: number,
  startOf: (item: T) => number = (item) => (item as Span).start,
): T | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = sorted[mid]!;
    if (startOf(item) <= offset) {
      found = item;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const within = (span: Span, offset: number) => span.start <= offset && offset <= span.end;

/** What sits at `offset` (a cursor touching a name's end counts, as editors expect). */
export function symbolAt(model: PipelineModel, offset: number): SymbolAt | undefined {
  const use = lastStartingAtOrBefore(model.uses, offset);
  if (use && within(use, offset)) {
    return {
      kind: use.kind,
      name: use.name,
      start: use.start,
      end: use.end,
      isDeclaration: false,
      ...(use.step !== undefined ? { step: use.step } : {}),
    };
  }
  const declaration = lastStartingAtOrBefore(declarations(model).sorted, offset);
  if (declaration && within(declaration, offset)) return declaration;
  const root = rootAt(model, offset);
  if (root) return root;
  return keyAt(model, offset);
}

function rootAt(model: PipelineModel, offset: number): RootSymbol | undefined {
  const template = lastStartingAtOrBefore(model.sites, offset, (s) => s.template.start)?.template;
  if (template && offset <= template.end) {
    let found: RootSymbol | undefined;
    visitReferences(template.expr, (segments) => {
      const [root, field] = segments;
      if (root && within(root, offset)) found = { kind: 'root', path: root.name, start: root.start, end: root.end };
      else if (root && field && within(field, offset) && ['run', 'pipeline', 'env', 'metrics'].includes(root.name)) {
        found = {
          kind: 'root',
          path: `${root.name}.${root.name === 'env' || root.name === 'metrics' ? '*' : field.name}`,
          start: field.start,
          end: field.end,
        };
      }
    });
    return found;
  }
  return undefined;
}

function visitReferences(expr: Expr | undefined, visit: (segments: readonly Segment[]) => void): void {
  if (!expr) return;
  if (expr.type === 'reference') visit(expr.segments);
  else if (expr.type === 'unary') visitReferences(expr.operand, visit);
  else if (expr.type === 'group') visitReferences(expr.inner, visit);
  else if (expr.type === 'binary') {
    visitReferences(expr.left, visit);
    visitReferences(expr.right, visit);
  }
}

/** The key of the format under the cursor, with the map it belongs to. */
function keyAt(model: PipelineModel, offset: number): KeySymbol | undefined {
  const root = model.root;
  if (!root) return undefined;
  const hit = (pair: Pair, context: PipelineContext): KeySymbol | undefined => {
    const key = keyOf(pair);
    return key && within(key, offset) ? { kind: 'key', context, key: key.name, start: key.start, end: key.end } : undefined;
  };
  const inside = (node: unknown): node is YAMLMap => isMap(node) && !!node.range && node.range[0] <= offset && offset <= node.range[2];
  const pairIn = (map: YAMLMap) =>
    map.items.find((p) => {
      const start = (p.key as Node | null)?.range?.[0];
      const end = (p.value as Node | null)?.range?.[2] ?? (p.key as Node | null)?.range?.[2];
      return start !== undefined && end !== undefined && start <= offset && offset <= end;
    });

  const top = pairIn(root);
  if (!top) return undefined;
  const topHit = hit(top, 'top');
  if (topHit) return topHit;
  const section = keyOf(top)?.name;
  if (section === 'register' && inside(top.value)) {
    const pair = pairIn(top.value);
    return pair ? hit(pair, 'register') : undefined;
  }
  if (section === 'params' && inside(top.value)) {
    const param = pairIn(top.value);
    if (param && inside(param.value)) {
      const pair = pairIn(param.value);
      return pair ? hit(pair, 'param') : undefined;
    }
    return undefined;
  }
  if (section === 'steps' && inside(top.value)) {
    const step = pairIn(top.value);
    if (!step || !inside(step.value)) return undefined;
    const pair = pairIn(step.value);
    if (!pair) return undefined;
    const stepKey = hit(pair, 'step');
    if (stepKey) return stepKey;
    const name = keyOf(pair)?.name;
    if (name === 'resources' && inside(pair.value)) {
      const inner = pairIn(pair.value);
      return inner ? hit(inner, 'resources') : undefined;
    }
    if (name === 'outputs' && inside(pair.value)) {
      const output = pairIn(pair.value);
      if (output && inside(output.value)) {
        const inner = pairIn(output.value);
        return inner ? hit(inner, 'output') : undefined;
      }
    }
  }
  return undefined;
}

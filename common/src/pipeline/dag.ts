import type { PipelineModel } from './model';

/** Adjacency of the declared steps: `next.get(a)` are the steps that run after `a`. */
export function successors(model: PipelineModel): Map<string, Set<string>> {
  const next = new Map<string, Set<string>>();
  for (const id of model.steps.keys()) next.set(id, new Set());
  for (const edge of model.edges) {
    if (model.steps.has(edge.from) && model.steps.has(edge.to)) next.get(edge.from)!.add(edge.to);
  }
  return next;
}

/** Strongly connected components (Tarjan, iterative so a 5,000-step chain cannot overflow the stack). */
export function stronglyConnected(next: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; it: Iterator<string> }[] = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, it: (next.get(node) ?? new Set<string>()).values() });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.it.next();
      if (!step.done) {
        const to = step.value;
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        out.push(component);
      }
    }
  }
  return out;
}

/** A shortest path `from` ... `to` inside `allowed`, by BFS; undefined when there is none. */
export function shortestPath(
  next: ReadonlyMap<string, ReadonlySet<string>>,
  from: string,
  to: string,
  allowed?: ReadonlySet<string>,
): string[] | undefined {
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    if (node === to) break;
    for (const n of next.get(node) ?? []) {
      if (previous.has(n) || (allowed && !allowed.has(n))) continue;
      previous.set(n, node);
      queue.push(n);
    }
  }
  if (!previous.has(to)) return undefined;
  const path = [to];
  while (path[0] !== from) path.unshift(previous.get(path[0]!)!);
  return path;
}

const predecessorCache = new WeakMap<PipelineModel, Map<string, string[]>>();

/** `before.get(a)`: the steps `a` directly depends on; built once per model. */
function predecessors(model: PipelineModel): Map<string, string[]> {
  let before = predecessorCache.get(model);
  if (!before) {
    before = new Map();
    for (const edge of model.edges) {
      const list = before.get(edge.to);
      if (list) list.push(edge.from);
      else before.set(edge.to, [edge.from]);
    }
    predecessorCache.set(model, before);
  }
  return before;
}

/** Whether `ancestor` runs before `step` (a path of dependencies leads from it); stops as soon as it is found. */
export function runsBefore(model: PipelineModel, ancestor: string, step: string): boolean {
  const before = predecessors(model);
  const seen = new Set<string>();
  const queue = [...(before.get(step) ?? [])];
  while (queue.length > 0) {
    const node = queue.pop()!;
    if (node === ancestor) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const p of before.get(node) ?? []) if (!seen.has(p)) queue.push(p);
  }
  return false;
}

/**
 * Steps that would close a cycle if `step` needed them: `step` itself and
 * everything downstream of it. Pass `next` when an adjacency is at hand.
 */
export function downstreamOf(
  model: PipelineModel,
  step: string,
  next: ReadonlyMap<string, ReadonlySet<string>> = successors(model),
): Set<string> {
  const seen = new Set<string>([step]);
  const queue = [step];
  while (queue.length > 0) {
    for (const n of next.get(queue.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

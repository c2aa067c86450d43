import type { Node } from 'yaml';
import type { Span } from '../expressions/ast';

/**
 * A span kept relative to the start of the AST node it lies in. A splice
 * (./splice.ts) moves the ranges of the nodes it keeps, so a span read
 * through its node is never stale, and data memoised per pair
 * (./pairMemo.ts) needs no moving of its own.
 */
export class AnchoredSpan implements Span {
  // Private names: subclasses and Object.assign add fields such as an edge's `from` and `to`.
  readonly #node: Node;
  readonly #from: number;
  readonly #to: number;

  /** `span` in the document's offsets now; `node` must have a range. */
  constructor(node: Node, span: Span) {
    const at = node.range![0];
    this.#node = node;
    this.#from = span.start - at;
    this.#to = span.end - at;
  }

  get start(): number {
    return this.#node.range![0] + this.#from;
  }

  get end(): number {
    return this.#node.range![0] + this.#to;
  }
}

/**
 * A deep copy of plain data (objects, arrays) with every numeric `start` and
 * `end` moved by `delta`: diagnostics, fix edits, expression trees.
 */
export function moved<T>(value: T, delta: number): T {
  if (Array.isArray(value)) return value.map((item: unknown) => moved(item, delta)) as T;
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = (key === 'start' || key === 'end') && typeof item === 'number' ? item + delta : moved(item, delta);
  }
  return copy as T;
}

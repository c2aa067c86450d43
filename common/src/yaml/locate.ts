/**
 * Which collection a line belongs to, from its indentation and the YAML AST
 * above it. The descent takes the last entry before the line at each level
 * by binary search, so a line deep in a 5,000-step file costs a few dozen
 * comparisons, not a walk up through every line above.
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { scalarText } from './nodes';

/** The path element of a list item, for paths below a list. */
export const ITEM = '[]';

/** What a kind of file expects where the AST does not say yet. */
export interface Shape {
  /** A line below the key at `path`, with nothing parsed there yet, holds keys of a map (else a value). */
  expectsMap(path: readonly string[]): boolean;
  /** Lines inside the items of a block list belong to the item (path element `ITEM`); else to no place. */
  readonly lists: boolean;
  /** The cursor in blanks before a line's text (its indentation or before a comment, after `key:` or `-`) is at an empty key or value; else at nothing. */
  readonly blanks: boolean;
}

export type LineOwner =
  /** The line is at the key level of the map at `path` (`map` is absent while it has no keys yet). */
  | { readonly mode: 'map'; readonly path: readonly string[]; readonly map?: YAMLMap }
  /** The line is an item of the block list at `path` (the value of a key, or an item of a list). */
  | { readonly mode: 'seq'; readonly path: readonly string[]; readonly seq?: YAMLSeq }
  /** The line holds the value of the key at `path`, written below the key. */
  | { readonly mode: 'value'; readonly path: readonly string[] }
  /** The line goes on with a multi-line or block scalar, the value of the key at `path`. */
  | { readonly mode: 'scalar'; readonly path: readonly string[] }
  /** The line is inside a flow collection that opens at `start`, on a line above. */
  | { readonly mode: 'flow'; readonly path: readonly string[]; readonly start: number }
  | { readonly mode: 'none' };

const NOWHERE: LineOwner = { mode: 'none' };

function startOf(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

function pairStart(pair: Pair): number {
  return startOf(pair.key) ?? startOf(pair.value) ?? -1;
}

/** The index of the last item that starts before `offset`, or -1 (items are in document order). */
function lastBefore<T>(items: readonly T[], offset: number, start: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (start(items[mid]!) < offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** What a line with nothing parsed below `path` yet holds. */
function freshValue(path: readonly string[], dash: boolean, shape: Shape): LineOwner {
  if (dash) return { mode: 'seq', path };
  return shape.expectsMap(path) ? { mode: 'map', path } : { mode: 'value', path };
}

/**
 * The collection that a line starting at `lineStart` with its first
 * character at column `indent` belongs to. `dash`: the line starts with `- `.
 */
export function locateLine(yaml: Document.Parsed, text: string, lineStart: number, indent: number, dash: boolean, shape: Shape): LineOwner {
  const root = yaml.contents as Node | null;
  if (!isMap(root) || root.flow) {
    if (isMap(root) || isSeq(root)) return NOWHERE;
    return dash ? NOWHERE : { mode: 'map', path: [] };
  }
  let map: YAMLMap = root;
  let path: readonly string[] = [];
  for (;;) {
    const first = map.items[0];
    const column = first ? columnOf(text, pairStart(first)) : 0;
    const index = lastBefore(map.items, lineStart, pairStart);
    const pair = index >= 0 ? map.items[index] : undefined;
    if (!pair || indent <= column) {
      if (!dash) return { mode: 'map', path, map };
      // A block list may sit at the same column as its key.
      const value = pair?.value as Node | null | undefined;
      const key = pair && scalarText(pair.key);
      if (
        indent === column &&
        key !== undefined &&
        (value == null || (isSeq(value) && !value.flow) || (isScalar(value) && value.value === null))
      ) {
        return isSeq(value) ? { mode: 'seq', path: [...path, key], seq: value } : { mode: 'seq', path: [...path, key] };
      }
      return NOWHERE;
    }
    const key = scalarText(pair.key);
    if (key === undefined) return NOWHERE;
    const inner = below(pair.value as Node | null, [...path, key]);
    if (!('next' in inner)) return inner;
    map = inner.next;
    path = inner.path;
  }

  /** The owner of the line below the key (or list item) at `at` whose value is `value`; `next` to descend into a map. */
  function below(value: Node | null, at: readonly string[]): LineOwner | { readonly next: YAMLMap; readonly path: readonly string[] } {
    const valueStart = startOf(value);
    if (value == null || valueStart === undefined) return freshValue(at, dash, shape);
    if (isScalar(value)) {
      // The parser took what is typed on this line as the value of the key above.
      if (valueStart >= lineStart || (value.value === null && (value.range?.[1] ?? 0) <= lineStart)) return freshValue(at, dash, shape);
      return { mode: 'scalar', path: at };
    }
    if (isMap(value) || isSeq(value)) {
      if (value.flow) return valueStart < lineStart ? { mode: 'flow', path: at, start: valueStart } : freshValue(at, dash, shape);
      if (isSeq(value)) {
        if (!shape.lists || indent <= columnOf(text, valueStart)) return { mode: 'seq', path: at, seq: value };
        const item = value.items[lastBefore(value.items, lineStart, (n) => startOf(n) ?? -1)];
        return item === undefined ? NOWHERE : below(item as Node | null, [...at, ITEM]);
      }
      if (valueStart >= lineStart) return dash ? NOWHERE : { mode: 'map', path: at, map: value };
      return { next: value, path: at };
    }
    return NOWHERE;
  }
}

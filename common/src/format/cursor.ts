/**
 * Where the cursor is in a features or monitor file, from the text's
 * indentation rather than the AST (a half-typed line rarely parses as what
 * the user means): the keys from the root to the map or list at the cursor,
 * with `[]` for a list item, and whether the cursor is at a key, at a value
 * or at an item of a flow list. Lines above the cursor are read until the
 * root; the cursor's own line is scanned for flow brackets.
 */
import { isMap, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { Span } from '../expressions/ast';
import { scalarText } from '../pipeline/nodes';

export const ITEM = '[]';

export interface FormatCursor {
  /** Keys from the root to the map at the cursor (`at: 'key'`) or to the key whose value it is. */
  readonly path: readonly string[];
  /** `key`: typing a key (or, after `- `, a bare list item); `value`: the value of `key`; `item`: an item of the flow list that is `key`'s value. */
  readonly at: 'key' | 'value' | 'item';
  readonly key?: string;
  /** The key is written after `- ` with nothing else: it may as well be a bare list item. */
  readonly dash: boolean;
  /** In a `{ }` or `[ ]` on the cursor's line. */
  readonly flow: boolean;
  /** A `:` follows the key at the cursor. */
  readonly hasColon: boolean;
  /** Text from the start of the token to the cursor. */
  readonly prefix: string;
  /** What a completion replaces. */
  readonly range: Span;
}

interface LineShape {
  /** Columns of the line's `- ` markers. */
  readonly dashes: number[];
  /** Column of the first character after them. */
  readonly content: number;
  /** The key written there, if the line is `key:` or `key: value`. */
  readonly key?: string;
  /** Nothing follows the key's `:` (a block value below), or only a comment. */
  readonly open: boolean;
}

const KEY_LINE = /^(?:"([^"]*)"|'([^']*)'|([^\s#'"[\]{},:][^#:]*?))\s*:(?:\s+(.*))?$/;

function shapeOf(line: string): LineShape | undefined {
  let i = 0;
  while (line[i] === ' ') i++;
  const dashes: number[] = [];
  while (line[i] === '-' && (line[i + 1] === ' ' || i + 1 === line.length)) {
    dashes.push(i);
    i++;
    while (line[i] === ' ') i++;
  }
  const rest = line.slice(i).trimEnd();
  if (rest.startsWith('#')) return dashes.length > 0 ? { dashes, content: i, open: false } : undefined;
  if (rest === '' && dashes.length === 0) return undefined;
  const match = KEY_LINE.exec(rest);
  if (!match) return { dashes, content: i, open: false };
  const key = (match[1] ?? match[2] ?? match[3] ?? '').trim();
  const value = (match[4] ?? '').trim();
  return { dashes, content: i, key, open: value === '' || value.startsWith('#') || value === '|' || value === '>' };
}

/** The keys of the block structure enclosing column `column` of line `lineIndex`, outermost first. */
function enclosing(lines: readonly string[], lineIndex: number, column: number, dashLevel: boolean): string[] {
  const path: string[] = [];
  let c = column;
  let fromDash = dashLevel;
  for (let j = lineIndex - 1; j >= 0 && c > 0; j--) {
    const shape = shapeOf(lines[j]!);
    if (!shape) continue;
    const left = shape.dashes[0] ?? shape.content;
    if (left > c) continue;
    if (left === c) {
      // `key:` with its list below at the same column (a compact sequence).
      if (fromDash && shape.dashes.length === 0 && shape.key !== undefined && shape.open) {
        path.push(shape.key);
        fromDash = false;
      }
      continue;
    }
    if (shape.key !== undefined && shape.content < c) {
      if (!shape.open) continue;
      path.push(shape.key);
    }
    for (let d = shape.dashes.length - 1; d >= 0; d--) if (shape.dashes[d]! < c) path.push(ITEM);
    c = left;
    fromDash = shape.dashes.length > 0;
    if (fromDash && c > 0) continue;
    // A compact sequence's key is at the dash's column: look for it.
    if (fromDash) {
      for (let k = j - 1; k >= 0; k--) {
        const above = shapeOf(lines[k]!);
        if (!above) continue;
        if ((above.dashes[0] ?? above.content) === 0 && above.dashes.length === 0 && above.key !== undefined && above.open)
          path.push(above.key);
        break;
      }
    }
  }
  return path.reverse();
}

/** The cursor's place at `offset` in `text`; undefined in comments, quoted keys and places nothing completes. */
export function formatCursor(text: string, offset: number): FormatCursor | undefined {
  const cursor = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  let lineEnd = text.indexOf('\n', cursor);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, cursor);
  const after = text.slice(cursor, lineEnd).replace(/\r$/, '');
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop();
  const lineIndex = lines.length;
  const allLines = [...lines, before];

  let i = 0;
  while (before[i] === ' ') i++;
  const dashes: number[] = [];
  while (before[i] === '-' && (before[i + 1] === ' ' || i + 1 === before.length)) {
    dashes.push(i);
    i++;
    while (before[i] === ' ') i++;
  }
  if (before[i] === '#') return undefined;
  const left = dashes[0] ?? i;
  const outer = enclosing(allLines, lineIndex, left, dashes.length > 0);
  const path = [...outer, ...dashes.map(() => ITEM)];
  const rest = before.slice(i);
  const dash = dashes.length > 0;
  if (rest.includes('#') && !/['"]/.test(rest)) return undefined;

  const flow = flowAt(rest);
  if (flow) return flowCursor(path, flow, cursor, after, dash);

  const keyMatch = /^([A-Za-z0-9_.-]+)\s*:(\s*)(.*)$/.exec(rest);
  if (keyMatch) {
    const value = keyMatch[3]!;
    if (keyMatch[2] === '' && value !== '') return undefined;
    const token = tokenAt(value, cursor, after);
    return { path, at: 'value', key: keyMatch[1]!, dash, flow: false, hasColon: true, ...token };
  }
  if (/^[A-Za-z0-9_.\-/*]*$/.test(rest) || /^["'][^"']*$/.test(rest)) {
    const token = tokenAt(rest, cursor, after);
    const hasColon = /^[A-Za-z0-9_.-]*\s*:/.test(after);
    return { path, at: 'key', dash, flow: false, hasColon, ...token };
  }
  return undefined;
}

/** The scalar being typed at the end of `typed`: its start, and its end past the cursor. */
function tokenAt(typed: string, cursor: number, after: string): { prefix: string; range: Span } {
  let prefix = typed;
  if (/^["']/.test(prefix)) prefix = prefix.slice(1);
  const tail = /^[^\s,\]}#:'"]*/.exec(after)?.[0] ?? '';
  return { prefix, range: { start: cursor - prefix.length, end: cursor + tail.length } };
}

interface FlowState {
  /** For each open bracket, outermost first: the bracket and the key written before it. */
  readonly stack: { readonly bracket: '[' | '{'; readonly key?: string }[];
  /** The text since the innermost bracket's last `,` (or the bracket). */
  readonly segment: string;
  /** The key before the flow collection on the block line (`key: [`). */
  readonly lineKey?: string;
}

function flowAt(rest: string): FlowState | undefined {
  const stack: { bracket: '[' | '{'; key?: string }[] = [];
  let segmentStart = 0;
  let quote: string | undefined;
  let lineKey: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      if (rest.slice(segmentStart, i).trim() === '' || /[:\s]$/.test(rest.slice(0, i))) quote = c;
      continue;
    }
    if (c === '[' || c === '{') {
      const segment = rest.slice(segmentStart, i);
      const key = /([A-Za-z0-9_.-]+)\s*:\s*$/.exec(segment)?.[1];
      if (stack.length === 0) lineKey = key;
      stack.push({ bracket: c, ...(key !== undefined ? { key } : {}) });
      segmentStart = i + 1;
    } else if (c === ']' || c === '}') {
      stack.pop();
      segmentStart = i + 1;
    } else if (c === ',' && stack.length > 0) {
      segmentStart = i + 1;
    }
  }
  if (stack.length === 0) return undefined;
  return { stack, segment: rest.slice(segmentStart), ...(lineKey !== undefined ? { lineKey } : {}) };
}

function flowCursor(path: readonly string[], flow: FlowState, cursor: number, after: string, dash: boolean): FormatCursor | undefined {
  const full = [...path];
  // Each open bracket: `key: [` adds key then an item level; `{` opens a map.
  flow.stack.forEach((open, index) => {
    if (open.key !== undefined) full.push(open.key);
    if (open.bracket === '[' && index < flow.stack.length - 1) full.push(ITEM);
  });
  const innermost = flow.stack[flow.stack.length - 1]!;
  const segment = flow.segment.replace(/^\s+/, '');
  const base = { dash, flow: true };
  if (innermost.bracket === '[') {
    if (innermost.key === undefined) return undefined;
    const key = full.pop()!;
    if (/[:{[]/.test(segment)) return undefined;
    return { ...base, path: full, at: 'item', key, hasColon: false, ...tokenAt(segment, cursor, after) };
  }
  const pair = /^([A-Za-z0-9_.-]+)\s*:\s*(.*)$/.exec(segment);
  if (pair) {
    const value = pair[2]!;
    if (/[:{[]/.test(value)) return undefined;
    return { ...base, path: full, at: 'value', key: pair[1]!, hasColon: true, ...tokenAt(value, cursor, after) };
  }
  if (!/^[A-Za-z0-9_.-]*$/.test(segment)) return undefined;
  return { ...base, path: full, at: 'key', hasColon: /^[A-Za-z0-9_.-]*\s*:/.test(after), ...tokenAt(segment, cursor, after) };
}

/** The map at `path` in the AST, taking at each list the item that holds `offset` (or the last before it). */
export function mapAtPath(yaml: Document.Parsed, path: readonly string[], offset: number): YAMLMap | undefined {
  let node: unknown = yaml.contents;
  for (const step of path) {
    if (step === ITEM) {
      if (!isSeq(node)) return undefined;
      let chosen: unknown;
      for (const item of node.items) {
        const start = (item as Node | null)?.range?.[0];
        if (start !== undefined && start <= offset) chosen = item;
      }
      node = chosen;
    } else {
      if (!isMap(node)) return undefined;
      node = node.get(step, true);
    }
  }
  return isMap(node) ? node : undefined;
}

/** The keys of `map` other than one on the cursor's line. */
export function presentKeys(map: YAMLMap | undefined, text: string, offset: number): string[] {
  if (!map) return [];
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const out: string[] = [];
  for (const pair of map.items) {
    const range = (pair.key as Node | null)?.range;
    if (range && ((range[0] <= offset && offset <= range[1]) || (!map.flow && range[0] >= lineStart && range[0] <= lineEnd))) continue;
    const name = scalarText(pair.key);
    if (name !== undefined) out.push(name);
  }
  return out;
}

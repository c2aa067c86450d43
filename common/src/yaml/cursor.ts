/**
 * Where the cursor is in a YAML file of any of the three kinds: the one
 * cursor engine. The cursor's line (or the flow collection around it) is read
 * as text (see scan.ts); everything above comes from the parsed AST by binary
 * search (see locate.ts). The pipeline adds its own places on top
 * (pipeline/cursor); features and monitor files read it as a `FormatCursor`.
 */
import { isMap, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { ParsedDocument } from '../document/parsedDocument';
import type { Span } from '../expressions/ast';
import { ITEM, locateLine, type LineOwner, type Shape } from './locate';
import { scalarText } from './nodes';
import { isBlank, NO_HIT, scanBlockLine, scanBlockValue, scanFlow, type Hit } from './scan';

export { ITEM, type LineOwner, type Shape } from './locate';
export { type Token } from './scan';

/** What is typed at the cursor; the three kinds' cursors all say it this way. */
export interface Typed {
  /** The text from `range.start` to the cursor. */
  readonly prefix: string;
  /** What a completion replaces: the key, scalar or expression segment the cursor is in. */
  readonly range: Span;
}

/** The cursor's line, the collection it belongs to and what the cursor is in there. */
export interface CursorLine {
  readonly text: string;
  readonly cursor: number;
  readonly lineStart: number;
  /** The end of the line, before its `\r\n` or `\n`. */
  readonly lineEnd: number;
  readonly owner: LineOwner;
  readonly hit: Hit;
}

/** How far back a flow collection around the cursor may open (characters). */
const MAX_FLOW_SCAN = 65_536;

/** The place at `offset`; undefined in the indentation of a line. Never throws on malformed text. */
export function cursorLine(doc: ParsedDocument, offset: number, shape: Shape): CursorLine | undefined {
  const text = doc.text.getText();
  const cursor = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  let lineEnd = text.indexOf('\n', cursor);
  if (lineEnd < 0) lineEnd = text.length;
  if (lineEnd > lineStart && text[lineEnd - 1] === '\r') lineEnd--;
  let content = lineStart;
  while (content < lineEnd && text[content] === ' ') content++;
  if (shape.blanks && (cursor < content || (cursor === content && text[content] === '#'))) content = lineEnd;
  const blank = content >= lineEnd;
  if (!blank && cursor < content) return undefined;
  const indent = (blank ? cursor : content) - lineStart;
  const dash = !blank && text[content] === '-' && (content + 1 >= lineEnd || isBlank(text[content + 1]));
  const owner = locateLine(doc.yaml, text, lineStart, indent, dash, shape);
  const hit = scanLine(text, owner, shape, blank, dash, content, lineEnd, cursor);
  return { text, cursor, lineStart, lineEnd, owner, hit };
}

function scanLine(
  text: string,
  owner: LineOwner,
  shape: Shape,
  blank: boolean,
  dash: boolean,
  content: number,
  lineEnd: number,
  cursor: number,
): Hit {
  switch (owner.mode) {
    case 'map':
      if (dash) return NO_HIT;
      if (blank) return { at: 'key', mapPath: owner.path, token: { start: cursor, end: cursor, quoted: false }, hasColon: false };
      return scanBlockLine(text, content, lineEnd, cursor, owner.path, shape.blanks);
    case 'seq':
      if (!dash || cursor < content + 1 || (cursor === content + 1 && !(shape.lists && shape.blanks))) return NO_HIT;
      return shape.lists
        ? scanItemLine(text, content + 1, lineEnd, cursor, owner.path, shape.blanks)
        : scanBlockValue(text, content + 1, lineEnd, cursor, owner.path, true, shape.blanks);
    case 'value':
      return dash ? NO_HIT : scanBlockValue(text, Math.min(content, cursor), lineEnd, cursor, owner.path, false, shape.blanks);
    case 'scalar':
      // Only an expression can be completed on a continuation line; the pipeline's cursor checks for one.
      return { at: 'value', keyPath: owner.path, token: { start: Math.min(content, cursor), end: lineEnd, quoted: false } };
    case 'flow':
      // A flow collection left open near the top of a large file would otherwise be re-read on every request.
      return cursor - owner.start > MAX_FLOW_SCAN ? NO_HIT : scanFlow(text, owner.start, cursor, owner.path);
    case 'none':
      return NO_HIT;
  }
}

/**
 * After the `- ` of a new item of the list at `path`, in a file of lists of
 * maps: `- key: value` is a key of the item's map, and so is a bare `- x`
 * (the layer above may read it as an item too); a quoted scalar is an item,
 * a flow collection the item itself.
 */
function scanItemLine(text: string, from: number, lineEnd: number, cursor: number, path: readonly string[], blanks: boolean): Hit {
  let i = from;
  while (i < lineEnd && isBlank(text[i])) i++;
  const itemPath = [...path, ITEM];
  if (i >= lineEnd || (blanks && cursor < i))
    return { at: 'key', mapPath: itemPath, token: { start: cursor, end: cursor, quoted: false }, hasColon: false };
  if (cursor < i) return NO_HIT;
  const c = text[i];
  if (c === '{' || c === '[') return cursor === i ? NO_HIT : scanFlow(text, i, cursor, itemPath);
  if (c === '"' || c === "'") return scanBlockValue(text, from, lineEnd, cursor, path, true, blanks);
  return scanBlockLine(text, i, lineEnd, cursor, itemPath, blanks);
}

export interface FormatCursor extends Typed {
  /** Keys from the root to the map at the cursor (`at: 'key'`) or to the key whose value it is. */
  readonly path: readonly string[];
  /** `key`: typing a key (or, after `- `, a bare list item); `value`: the value of `key`; `item`: an item of the flow list that is `key`'s value. */
  readonly at: 'key' | 'value' | 'item';
  readonly key?: string;
  /** The key is written after `- ` with nothing else: it may as well be a bare list item. */
  readonly dash: boolean;
  /** In a `{ }` or `[ ]`. */
  readonly flow: boolean;
  /** A `:` follows the key at the cursor. */
  readonly hasColon: boolean;
}

/** Features and monitor files: lists of maps, and below a key with nothing written yet, keys. */
const FORMAT_SHAPE: Shape = { expectsMap: () => true, lists: true, blanks: true };
const KEY = /^[A-Za-z0-9_.-]+$/;
const BLOCK_KEY_PREFIX = /^[A-Za-z0-9_.\-/*]*$/;
const FLOW_KEY_PREFIX = /^[A-Za-z0-9_.-]*$/;
const COLON_AHEAD = /^[A-Za-z0-9_.-]*\s*:/;
/** What a completion replaces after the cursor: up to a space, a `:`, a quote or the end of a flow entry. */
const TAIL = /^[^\s,\]}#:'"]*/;

/** The cursor's place at `offset` in a features or monitor file; undefined in comments, quoted keys and places nothing completes. */
export function formatCursor(doc: ParsedDocument, offset: number): FormatCursor | undefined {
  const line = cursorLine(doc, offset, FORMAT_SHAPE);
  if (!line || line.hit.at === 'none') return undefined;
  const { text, cursor, hit } = line;
  const before = text.slice(line.lineStart, cursor);
  const marks = /^ *(?:-(?: +|$))*/.exec(before)![0].length;
  const rest = before.slice(marks);
  // A `#` starts a comment; a lone `\r` is no line break in YAML, and ends no line here.
  if ((rest.includes('#') && !/['"]/.test(rest)) || before.includes('\r')) return undefined;
  const dash = marks > /^ */.exec(before)![0].length;
  const prefix = text.slice(hit.token.start, cursor);
  const after = text.slice(cursor, line.lineEnd);
  const typed = { prefix, range: { start: hit.token.start, end: cursor + TAIL.exec(after)![0].length } };
  if (hit.at === 'key') {
    const flow = hit.flowKeys !== undefined;
    if (!(flow ? FLOW_KEY_PREFIX : BLOCK_KEY_PREFIX).test(prefix)) return undefined;
    return { path: hit.mapPath, at: 'key', dash, flow, hasColon: COLON_AHEAD.test(after), ...typed };
  }
  const path = hit.keyPath.slice(0, -1);
  const key = hit.keyPath[hit.keyPath.length - 1]!;
  if (hit.at === 'item' && hit.flowItems === undefined) {
    // `- "x`: a bare list item.
    return { path: hit.keyPath.concat(ITEM), at: 'key', dash, flow: false, hasColon: false, ...typed };
  }
  const flow = hit.at === 'item' || hit.inFlow === true;
  if (!KEY.test(key) || (flow && /[:{[]/.test(prefix))) return undefined;
  return { path, at: hit.at, key, dash, flow, hasColon: hit.at === 'value', ...typed };
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

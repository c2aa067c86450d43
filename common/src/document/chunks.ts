/**
 * Reading a YAML document by entries ("chunks"): the lines of one entry of a
 * block map, from its key's line to the line before the next line indented no
 * deeper than the key. Inside such a chunk the grammar gives the same nodes
 * whether the chunk is read alone or within the whole text, when
 * - every line after the key's is blank or indented at least as deep as the
 *   first of them, which is deeper than the key (so no sibling, no `---`, no
 *   directive, no comment at the key's column or left of it: those attach to
 *   what follows and change the ranges; and no line between the key's column
 *   and its value's, which the parser reads leniently, depending on context),
 * - the chunk's last line that is not blank has no comment: the ranges
 *   before a comment reach to the next token, which is outside the chunk,
 * - the chunk alone parses without errors or warnings to a block map with
 *   one pair whose key is where it was, and
 * - it holds no anchor and no alias (one could be named across chunks).
 * The offsets of the chunk's nodes are then its own plus the chunk's start;
 * the enclosing maps and the document end where the last chunk's do.
 *
 * ./piecewise.ts reads a whole text this way, ./splice.ts one entry after an edit.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Document, type Pair, type Range, type YAMLMap } from 'yaml';
import { detached } from '../text/detached';

/**
 * Without the yaml package's own duplicate-key check: the `duplicate-key` rule
 * reports those with better ranges and messages.
 */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false } as const;

/** One chunk read alone; offsets are the chunk's own. */
export interface Entry {
  readonly doc: Document.Parsed;
  readonly map: YAMLMap;
  readonly pair: Pair;
}

/**
 * Reads `text` as one entry whose key starts at `keyAt` in column `column`;
 * undefined when the conditions above do not hold. Lines before the key's
 * (a document's leading comments) are the caller's to check.
 */
export function readEntry(text: string, keyAt: number, column: number): Entry | undefined {
  if (!indentedBelow(text, text.indexOf('\n', keyAt) + 1, column)) return undefined;
  if (endsWithComment(text)) return undefined;
  // A copy: the nodes' strings must not keep a whole version of the document alive.
  const doc = parseDocument(detached(text), YAML_OPTIONS);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  const map = doc.contents;
  if (!isMap(map) || map.flow || map.items.length !== 1) return undefined;
  const pair = map.items[0]!;
  const key = pair.key;
  if (!isScalar(key) || key.range?.[0] !== keyAt || key.range[1] === keyAt || holdsAnchorOrAlias(pair)) return undefined;
  // At the place asked for, not at the same offset on another line.
  if (keyAt - (text.lastIndexOf('\n', keyAt - 1) + 1) !== column) return undefined;
  return { doc, map, pair };
}

/**
 * Every line from `from` (a line start) on is blank or starts at least as
 * deep as the first one, which starts deeper than `column`; a tab before the
 * content is refused.
 */
function indentedBelow(text: string, from: number, column: number): boolean {
  let least: number | undefined;
  for (let at = from; at > 0 && at < text.length; at = text.indexOf('\n', at) + 1) {
    const indent = indentAt(text, at);
    if (indent === BLANK) continue;
    if (indent === TAB || indent < (least ?? column + 1)) return false;
    least ??= indent;
  }
  return true;
}

/** Whether the last line that is not blank may hold a comment (a `#` first or after a blank; quotes are not looked at). */
export function endsWithComment(text: string): boolean {
  for (let end = text.length; end > 0;) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    if (indentAt(text, start) !== BLANK) return /(^|[ \t])#/.test(text.slice(start, end));
    end = start - 1;
  }
  return false;
}

/** `indentAt`: the line is blank. */
export const BLANK = -1;
/** `indentAt`: a tab comes before the line's content. */
export const TAB = -2;

/** The column of the first character of the line starting at `lineStart`, or BLANK or TAB. */
export function indentAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  if (c === 9) return TAB;
  return i >= text.length || c === 10 || c === 13 ? BLANK : i - lineStart;
}

export function holdsAnchorOrAlias(node: unknown): boolean {
  if (isPair(node)) return holdsAnchorOrAlias(node.key) || holdsAnchorOrAlias(node.value);
  if (!isNode(node)) return false;
  if (isAlias(node) || node.anchor) return true;
  if (isMap(node) || isSeq(node)) return node.items.some(holdsAnchorOrAlias);
  return false;
}

/**
 * Moves every range below `node` (a node or a pair) by `delta`. Hot: a splice
 * near the top of a large file moves every node below it, so this walks by
 * shape (collections have `items`, pairs `key` and `value`) rather than
 * through the yaml package's type checks.
 */
export function moveTree(node: unknown, delta: number): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const next = stack.pop() as { range?: Range; items?: unknown[]; key?: unknown; value?: unknown } | null;
    if (next === null || typeof next !== 'object') continue;
    const range = next.range;
    if (range) {
      range[0] += delta;
      range[1] += delta;
      range[2] += delta;
      if (next.items) for (const item of next.items) stack.push(item);
    } else if ('key' in next) {
      stack.push(next.key, next.value);
    }
  }
}

/** Sets where `range` ends to where `like` ends, moved by `delta`. */
export function endLike(range: Range, like: Range, delta: number): void {
  range[1] = like[1] + delta;
  range[2] = like[2] + delta;
}

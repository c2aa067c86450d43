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
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Document, type Pair, type Range } from 'yaml';
import { detached } from '../text/detached';
import { readBlockEntry } from './blockReader';
import { setProblems } from './problems';

/**
 * Without the yaml package's own duplicate-key check: the `duplicate-key` rule
 * reports those with better ranges and messages.
 */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false } as const;

/** One chunk read alone, its offsets those of the chunk plus the `base` it was read at. */
export interface Entry {
  readonly pair: Pair;
  readonly mapRange: Range;
  readonly docRange: Range;
  /** The document, when asked for (the first chunk of a text becomes the whole text's). */
  readonly doc?: Document.Parsed;
}

/**
 * Reads `text` as one entry whose key starts at `keyAt` in column `column`;
 * undefined when the conditions above do not hold. Lines before the key's
 * (a document's leading comments) are the caller's to check. The result's
 * offsets are moved by `base`. A chunk in plain block YAML is read by
 * ./blockReader.ts, others by the yaml package (or when `document` asks for
 * the package's Document).
 */
export function readEntry(text: string, keyAt: number, column: number, base = 0, document = false, next?: NextEntry): Entry | undefined {
  if (!indentedBelow(text, text.indexOf('\n', keyAt) + 1, column)) return undefined;
  if (endsWithComment(text)) return undefined;
  // At the place asked for, not at the same offset on another line.
  if (keyAt - (text.lastIndexOf('\n', keyAt - 1) + 1) !== column) return undefined;
  // A copy: the nodes' strings must not keep a whole version of the document alive.
  const copy = detached(text);
  if (!document && keyAt === column) {
    const quick = readBlockEntry(copy, column, base);
    if (quick) return quick;
  }
  let doc = parseDocument(copy, YAML_OPTIONS);
  let pairs = 1;
  if (doc.errors.length > 0 || doc.warnings.length > 0) {
    // With a syntax error, read again followed by the next entry of the same map and the key line of
    // the entry after that (`next`): the error stays in this chunk when the next entry then reads as it
    // reads alone, and the line after it as a key, with no problem reported past the next key. The
    // parser then recovers as it does in the whole text and reports the same. Recovery can fail: an
    // unclosed `{` may make the lines after it one multi-line key; then the whole text is parsed.
    if (document || !next || next.chunk.length > MAX_NEXT || !isKeyLine(next.chunk, column) || !isKeyLine(next.line, column))
      return undefined;
    doc = parseDocument(detached(text + next.chunk + next.line), YAML_OPTIONS);
    pairs = 3;
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length === 0 || problems.some((p) => p.pos[0] > text.length + column)) return undefined;
    const alone = readEntry(next.chunk, column, column, text.length);
    const items = isMap(doc.contents) ? doc.contents.items : [];
    if (!alone || items.length !== 3 || !sameTree(items[1], alone.pair)) return undefined;
    const third = items[2]!.key;
    if (!isScalar(third) || third.range?.[0] !== text.length + next.chunk.length + column) return undefined;
  }
  const map = doc.contents;
  if (!isMap(map) || map.flow || map.items.length !== pairs || !map.range || !doc.range) return undefined;
  const pair = map.items[0]!;
  const key = pair.key;
  if (!isScalar(key) || key.range?.[0] !== keyAt || key.range[1] === keyAt || holdsAnchorOrAlias(pair)) return undefined;
  if (pairs === 3) {
    for (const problem of [...doc.errors, ...doc.warnings]) {
      problem.pos[0] += base;
      problem.pos[1] += base;
    }
  }
  if (base !== 0) {
    moveTree(pair, base);
    for (const range of [map.range, doc.range]) {
      range[0] += base;
      range[1] += base;
      range[2] += base;
    }
  }
  if (pairs === 3) setProblems(pair, doc.errors, doc.warnings);
  // Read with the next entries, the chunk's map and document end after them: not where the chunk's do. Only
  // an entry followed by another is read so, and the caller takes those ends from the last entry.
  return { pair, mapRange: map.range, docRange: doc.range, doc };
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

/** What follows a chunk in its map: the next entry's chunk, and the key line of the entry after it. */
export interface NextEntry {
  readonly chunk: string;
  readonly line: string;
}

/** Whether `text` starts with a key at `column` (a line as ./piecewise.ts's entryLines finds them). */
function isKeyLine(text: string, column: number): boolean {
  return indentAt(text, 0) === column && !/^[#\-?:%]|^\.\.\./.test(text.slice(column));
}

/** The largest next entry (in characters) a chunk with a syntax error is read with. */
const MAX_NEXT = 65_536;

/** Whether two trees have the same kinds of node, values, styles and ranges. */
function sameTree(a: unknown, b: unknown): boolean {
  if (isPair(a) || isPair(b)) return isPair(a) && isPair(b) && sameTree(a.key, b.key) && sameTree(a.value, b.value);
  if (!isNode(a) || !isNode(b)) return a === b;
  if (a.constructor !== b.constructor || String(a.range) !== String(b.range) || a.tag !== b.tag || a.anchor !== b.anchor) return false;
  if (isScalar(a)) return isScalar(b) && Object.is(a.value, b.value) && a.type === b.type;
  if (isMap(a) || isSeq(a)) {
    const items = (b as typeof a).items;
    return !!a.flow === !!(b as typeof a).flow && a.items.length === items.length && a.items.every((item, i) => sameTree(item, items[i]));
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

/**
 * Reading a whole text chunk by chunk (./chunks.ts): each root entry, and
 * each entry of a block map below one (every step of `steps:`), is parsed
 * alone, and the pairs are joined into one AST. The result is the one a parse
 * of the whole text gives, but the parser's syntax tree only ever holds one
 * chunk: a 2 MB pipeline is read in a fraction of the memory (and time).
 *
 * Undefined when some chunk does not qualify (a syntax error, an anchor, a
 * comment at the left edge between entries, a directive, a root that is not
 * a block map at column 0); the caller then parses the whole text.
 */
import { isMap, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { BLANK, endLike, endsWithComment, indentAt, moveTree, readEntry, TAB, type Entry } from './chunks';

/** The last chunk read: the enclosing maps and the document end where it does. */
interface LastChunk {
  readonly entry: Entry;
  /** Where its text starts in the whole text. */
  readonly offset: number;
}

export function parseInPieces(text: string): Document.Parsed | undefined {
  const first = firstContentLine(text);
  if (first === undefined || indentAt(text, first) !== 0) return undefined;
  const starts = entryLines(text, first, text.length, 0);
  if (!starts) return undefined;
  let yaml: Document.Parsed | undefined;
  let last: LastChunk | undefined;
  for (let i = 0; i < starts.length; i++) {
    // The first chunk also holds the leading comments.
    const from = i === 0 ? 0 : starts[i]!;
    const section = readSection(text, from, starts[i]!, starts[i + 1] ?? text.length);
    if (!section) return undefined;
    if (!yaml) yaml = section.doc;
    else {
      moveTree(section.pair, from);
      (yaml.contents as YAMLMap).items.push(section.pair);
    }
    last = section.last;
  }
  if (!yaml || !last) return undefined;
  endLike((yaml.contents as YAMLMap).range!, last.entry.map.range!, last.offset);
  endLike(yaml.range!, last.entry.doc.range!, last.offset);
  return yaml;
}

/**
 * The root entry in `[from, to)` whose key is at `keyLine`, in offsets from
 * `from`: split by the entries of its block map when it has several.
 */
function readSection(
  text: string,
  from: number,
  keyLine: number,
  to: number,
): { doc: Document.Parsed; pair: Pair; last: LastChunk } | undefined {
  const whole = () => {
    const entry = readEntry(text.slice(from, to), keyLine - from, 0);
    return entry && { doc: entry.doc, pair: entry.pair, last: { entry, offset: from } };
  };
  const afterKey = text.indexOf('\n', keyLine) + 1;
  const body = afterKey > 0 ? firstContentLine(text, afterKey, to) : undefined;
  const column = body === undefined ? BLANK : indentAt(text, body);
  const children = body !== undefined && column > 0 ? entryLines(text, body, to, column) : undefined;
  // The head holds the first child, which must end as a chunk does.
  if (!children || children.length < 2 || endsWithComment(text.slice(children[0], children[1]))) return whole();

  const head = readEntry(text.slice(from, children[1]), keyLine - from, 0);
  const map = head?.pair.value;
  if (
    !head ||
    !isMap(map) ||
    map.flow ||
    !map.range ||
    map.items.length !== 1 ||
    (map.items[0]!.key as Node).range?.[0] !== children[0]! + column - from
  )
    return whole();
  let last: LastChunk | undefined;
  for (let k = 1; k < children.length; k++) {
    const start = children[k]!;
    const entry = readEntry(text.slice(start, children[k + 1] ?? to), column, column);
    if (!entry) return whole();
    moveTree(entry.pair, start - from);
    map.items.push(entry.pair);
    last = { entry, offset: start };
  }
  endLike(map.range, last!.entry.map.range!, last!.offset - from);
  return { doc: head.doc, pair: head.pair, last: last! };
}

/** The first line in `[from, to)` that is neither blank nor a comment. */
function firstContentLine(text: string, from = 0, to = text.length): number | undefined {
  for (let at = from; at < to;) {
    const indent = indentAt(text, at);
    if (indent === TAB || (indent !== BLANK && text[at + indent] !== '#')) return at;
    const next = text.indexOf('\n', at) + 1;
    if (next === 0) return undefined;
    at = next;
  }
  return undefined;
}

/**
 * The starts of the lines in `[from, to)` whose content begins at `column`,
 * each the key of an entry; undefined when a line starts left of `column`, or
 * at it with something else than a key (a comment, a list item, a marker).
 */
function entryLines(text: string, from: number, to: number, column: number): number[] | undefined {
  const lines: number[] = [];
  for (let at = from; at < to;) {
    const indent = indentAt(text, at);
    if (indent === TAB || (indent !== BLANK && indent < column)) return undefined;
    if (indent === column) {
      const c = text[at + column];
      if (c === '#' || c === '-' || c === '?' || c === ':' || c === '%' || text.startsWith('...', at + column)) return undefined;
      lines.push(at);
    }
    const next = text.indexOf('\n', at) + 1;
    if (next === 0) break;
    at = next;
  }
  return lines;
}

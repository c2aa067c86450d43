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
import { Document, isMap, YAMLMap, type Node, type Pair } from 'yaml';
import { BLANK, endLike, endsWithComment, indentAt, readEntry, TAB, type Entry, type NextEntry } from './chunks';
import { gatherProblems } from './problems';

export function parseInPieces(text: string): Document.Parsed | undefined {
  const first = firstContentLine(text);
  if (first === undefined || indentAt(text, first) !== 0) return undefined;
  const starts = entryLines(text, first, text.length, 0);
  if (!starts) return undefined;
  let yaml: Document.Parsed | undefined;
  let last: Entry | undefined;
  for (let i = 0; i < starts.length; i++) {
    // The first chunk also holds the leading comments, and gives the document.
    const from = i === 0 ? 0 : starts[i]!;
    const next = nextEntry(text, starts[i + 1], starts[i + 2]);
    const section = readSection(text, from, starts[i]!, starts[i + 1] ?? text.length, i === 0, next);
    if (!section) return undefined;
    if (!yaml) yaml = section.doc;
    else (yaml.contents as YAMLMap).items.push(section.pair);
    last = section.last;
  }
  if (!yaml || !last) return undefined;
  endLike((yaml.contents as YAMLMap).range!, last.mapRange, 0);
  endLike(yaml.range!, last.docRange, 0);
  gatherProblems(yaml);
  return yaml;
}

/**
 * The root entries of `text` whose key `wanted` accepts, read alone and
 * joined into a document with the offsets of the whole text; the others are
 * not parsed (the workspace index needs a closed pipeline's name and params,
 * not its thousands of steps). An entry whose key is not a plain name is read
 * as well. Undefined when the text does not split into entries, or when an
 * entry read does not qualify (./chunks.ts): the caller then parses it all.
 */
export function parseRootEntries(text: string, wanted: (key: string) => boolean): Document.Parsed | undefined {
  const first = firstContentLine(text);
  if (first === undefined || indentAt(text, first) !== 0) return undefined;
  const starts = entryLines(text, first, text.length, 0);
  if (!starts) return undefined;
  const map = new YAMLMap();
  for (let i = 0; i < starts.length; i++) {
    const key = /^([A-Za-z_][\w.-]*)[ ]*:(?:[ \r\n]|$)/.exec(text.slice(starts[i], starts[i]! + 80))?.[1];
    if (key !== undefined && !wanted(key)) continue;
    const from = i === 0 ? 0 : starts[i]!;
    const entry = readEntry(text.slice(from, starts[i + 1] ?? text.length), starts[i]! - from, 0, from);
    if (!entry) return undefined;
    map.items.push(entry.pair);
  }
  const doc = new Document() as Document.Parsed;
  doc.contents = map as Document.Parsed['contents'];
  return doc;
}

/**
 * The root entry in `[from, to)` whose key is at `keyLine`, split by the
 * entries of its block map when it has several; `first`: the text's first,
 * whose document is asked for.
 */
export function readSection(
  text: string,
  from: number,
  keyLine: number,
  to: number,
  first: boolean,
  /** What follows the entry in the root map, if anything (./chunks.ts NextEntry). */
  next?: NextEntry,
): { doc?: Document.Parsed; pair: Pair; last: Entry } | undefined {
  const whole = () => {
    const entry = readEntry(text.slice(from, to), keyLine - from, 0, from, first, next);
    return entry && { doc: entry.doc, pair: entry.pair, last: entry };
  };
  const afterKey = text.indexOf('\n', keyLine) + 1;
  const body = afterKey > 0 ? firstContentLine(text, afterKey, to) : undefined;
  const column = body === undefined ? BLANK : indentAt(text, body);
  const children = body !== undefined && column > 0 ? entryLines(text, body, to, column) : undefined;
  // The head holds the first child, which must end as a chunk does.
  if (!children || children.length < 2 || endsWithComment(text.slice(children[0], children[1]))) return whole();

  const head = readEntry(text.slice(from, children[1]), keyLine - from, 0, from, first);
  const map = head?.pair.value;
  if (
    !head ||
    !isMap(map) ||
    map.flow ||
    !map.range ||
    map.items.length !== 1 ||
    (map.items[0]!.key as Node).range?.[0] !== children[0]! + column
  )
    return whole();
  const rest = readEntries(text, children.slice(1), to, column);
  if (!rest) return whole();
  map.items.push(...rest.pairs);
  endLike(map.range, rest.last.mapRange, 0);
  return { doc: head.doc, pair: head.pair, last: rest.last };
}

/**
 * The entries at `column` whose key lines start at `starts` (the last one
 * running to `to`), each read alone, in the text's offsets; undefined when
 * one does not qualify.
 */
export function readEntries(
  text: string,
  starts: readonly number[],
  to: number,
  column: number,
  /** Where the entry of the same map that starts at `to` ends, and whether another starts there. */
  followed?: { readonly end: number; readonly more: boolean },
): { pairs: Pair[]; last: Entry } | undefined {
  const pairs: Pair[] = [];
  let last: Entry | undefined;
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k]!;
    // An entry followed by another may have a syntax error (./chunks.ts reads it with the next entry).
    const next =
      starts[k + 1] === undefined
        ? followed && nextEntry(text, to, followed.more ? followed.end : undefined, followed.end)
        : nextEntry(text, starts[k + 1], starts[k + 2] ?? (followed ? to : undefined), starts[k + 2] ?? to);
    const entry = readEntry(text.slice(start, starts[k + 1] ?? to), column, column, start, false, next);
    if (!entry) return undefined;
    pairs.push(entry.pair);
    last = entry;
  }
  return last && { pairs, last };
}

/**
 * The entry of a map that starts at `start` and the key line after it at
 * `after`, when both exist (./chunks.ts reads a chunk with a syntax error
 * with them); `end`: where the entry ends when nothing follows it.
 */
export function nextEntry(text: string, start: number | undefined, after: number | undefined, end = after): NextEntry | undefined {
  if (start === undefined || after === undefined || end === undefined) return undefined;
  const lineEnd = text.indexOf('\n', after);
  return { chunk: text.slice(start, end), line: text.slice(after, lineEnd < 0 ? text.length : lineEnd + 1) };
}

/** The first line in `[from, to)` that is neither blank nor a comment. */
export function firstContentLine(text: string, from = 0, to = text.length): number | undefined {
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
export function entryLines(text: string, from: number, to: number, column: number): number[] | undefined {
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

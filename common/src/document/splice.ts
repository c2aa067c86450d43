/**
 * Incremental parsing: after an edit, read again only the chunks
 * (./chunks.ts) around it and put their pairs into the previous AST, instead
 * of parsing megabytes of YAML again.
 *
 * The chunks are the entries of the root map (`pipeline:`, `params:`, ...) or
 * of a block map that is the value of one (the steps under `steps:`). The
 * edit's region is widened to whole entries of one map, plus one entry on
 * each side, and the new text of that region is split again by the lines at
 * the map's key column: one entry can become several (a step inserted), or
 * none (a step deleted), and an edit that joins two entries joins them. Each
 * new chunk must qualify as ./chunks.ts says; the previous version must have
 * parsed without errors or warnings (error recovery depends on everything
 * around the edit), hold no anchor in the replaced entries, and the new text
 * must keep the map's key column. When the region cannot be read inside the
 * steps it is widened to root entries, the steps section then read by pieces
 * (./piecewise.ts). Anything else returns undefined and the caller parses the
 * whole text.
 *
 * The previous AST is mutated: the new pairs replace the old ones and every
 * range after the region moves by the length difference. Pairs outside the
 * region stay the same objects, which keeps their memos (./pairMemo.ts).
 * Comments of neighbouring nodes are not maintained: no feature reads them.
 */
import { isMap, isScalar, type Document, type Node, type Pair, type Range, type YAMLMap } from 'yaml';
import { endLike, holdsAnchorOrAlias, moveTree, type Entry } from './chunks';
import { entryLines, firstContentLine, nextEntry, readEntries, readSection } from './piecewise';
import { gatherProblems, hasProblems, problemsAreChunks } from './problems';

/** A version's text and the AST parsed from it. */
export interface ParsedText {
  readonly source: string;
  readonly yaml: Document.Parsed;
}

/** Entries `first..last` of a map and the text they span in the previous version. */
interface Region {
  readonly map: YAMLMap;
  readonly first: number;
  readonly last: number;
  /** Where the region starts: the key line of `first` (for the root's first entry, the text's start). */
  readonly start: number;
  /** Where it ends: the key line of the entry after `last`, or the map's end. */
  readonly end: number;
  /** The keys' column. */
  readonly column: number;
  /** Where the entry after the region ends (the map's end when none follows it). */
  readonly nextEnd: number;
}

/**
 * The AST of `text`, made by re-reading the chunks around the edit in
 * `previous.yaml` (which this mutates), or undefined when the edit does not
 * qualify.
 */
export function spliceYaml(previous: ParsedText, text: string): Document.Parsed | undefined {
  const { source, yaml } = previous;
  if (!problemsAreChunks(yaml)) return undefined;
  const root = yaml.contents;
  if (!isMap(root) || root.flow || !root.range || !yaml.range) return undefined;
  const prefix = commonPrefix(source, text);
  if (prefix === source.length && prefix === text.length) return yaml;
  const suffix = commonSuffix(source, text, Math.min(source.length, text.length) - prefix);
  const from = prefix;
  const to = source.length - suffix;
  const top = regionOf(root, source, from, to, source.length, true);
  if (!top) return undefined;
  // Inside one root entry whose value is a block map (`steps:`, `params:`): its entries.
  const section = onlyEntry(root, source, from, to, source.length);
  // A section read whole because of a syntax error holds its entries' errors: it is read again whole.
  if (section && !hasProblems(root.items[section.index]!)) {
    const inner = regionOf(section.map, source, from, to, section.end, false);
    const plan = inner && planEntries(yaml, source, text, inner, section.index);
    if (plan) {
      plan();
      gatherProblems(yaml);
      return yaml;
    }
  }
  const plan = planRootEntries(yaml, source, text, top);
  if (!plan) return undefined;
  plan();
  gatherProblems(yaml);
  return yaml;
}

/** The root entry whose chunk holds `[from, to)` when its value is a block map, with where its chunk ends. */
function onlyEntry(
  root: YAMLMap,
  source: string,
  from: number,
  to: number,
  textEnd: number,
): { map: YAMLMap; index: number; end: number } | undefined {
  const index = entryAt(root, source, from);
  if (index === undefined) return undefined;
  const end = index + 1 < root.items.length ? keyLineStart(root.items[index + 1]!, source) : textEnd;
  if (end === undefined || to > end) return undefined;
  const value = root.items[index]!.value;
  if (!isMap(value) || value.flow || value.items.length === 0) return undefined;
  // The edit must not touch the section's own key line, which the entries do not hold.
  const firstKey = keyLineStart(value.items[0]!, source);
  if (firstKey === undefined || from < firstKey) return undefined;
  return { map: value, index, end };
}

/**
 * The entries of `map` whose chunks hold `[from, to)`, widened by one entry
 * on each side; `mapEnd` is where the last entry's chunk ends.
 */
function regionOf(map: YAMLMap, source: string, from: number, to: number, mapEnd: number, atRoot: boolean): Region | undefined {
  const items = map.items;
  const first = entryAt(map, source, from);
  const last = entryAt(map, source, to);
  if (first === undefined || last === undefined) return undefined;
  const a = Math.max(0, first - 1);
  const b = Math.min(items.length - 1, last + 1);
  const keyLine = keyLineStart(items[a]!, source);
  const end = b + 1 < items.length ? keyLineStart(items[b + 1]!, source) : mapEnd;
  if (keyLine === undefined || end === undefined || to > end) return undefined;
  const start = atRoot && a === 0 ? 0 : keyLine;
  if (from < start) return undefined;
  const nextEnd = b + 2 < items.length ? keyLineStart(items[b + 2]!, source) : mapEnd;
  if (nextEnd === undefined) return undefined;
  return { map, first: a, last: b, start, end, column: (items[a]!.key as Node).range![0] - keyLine, nextEnd };
}

/** The index of the last entry of `map` whose key line starts at or before `at`. */
function entryAt(map: YAMLMap, source: string, at: number): number | undefined {
  const items = map.items;
  let lo = 0;
  let hi = items.length - 1;
  let index = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = keyLineStart(items[mid]!, source);
    if (start === undefined) return undefined;
    if (start <= at) {
      index = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return index < 0 ? undefined : index;
}

/** The mutation that replaces the region's entries of a map below the root (entry `sectionIndex` of it). */
function planEntries(yaml: Document.Parsed, source: string, text: string, region: Region, sectionIndex: number): (() => void) | undefined {
  const root = yaml.contents as YAMLMap;
  const { map, column } = region;
  if (!map.range || column <= 0 || replacedHoldAnchors(region)) return undefined;
  const delta = text.length - source.length;
  const end = region.end + delta;
  if (region.end < source.length && text[end - 1] !== '\n') return undefined;
  const starts = entryLines(text, region.start, end, column);
  if (!starts || starts.length === 0 || starts[0] !== region.start || indentOf(text, region.start) !== column) return undefined;
  const read = readEntries(text, starts, end, column, followingEntry(region, delta));
  if (!read) return undefined;
  const lastInMap = region.last === map.items.length - 1;
  const lastAtTop = lastInMap && sectionIndex === root.items.length - 1;
  const moving: Range[] = [];
  if (!lastInMap) moving.push(map.range);
  if (!lastAtTop) moving.push(root.range!, yaml.range!);
  if (moving.some((range) => range[1] < region.end || range[2] < region.end)) return undefined;
  return () => {
    map.items.splice(region.first, region.last - region.first + 1, ...read.pairs);
    const after = region.first + read.pairs.length;
    for (let k = after; k < map.items.length; k++) moveTree(map.items[k], delta);
    for (let k = sectionIndex + 1; k < root.items.length; k++) moveTree(root.items[k], delta);
    if (region.first === 0) map.range![0] = (map.items[0]!.key as Node).range![0];
    finishRanges(yaml, moving, delta, lastInMap ? map.range! : undefined, lastAtTop, read.last);
  };
}

/** The mutation that replaces the region's root entries, each read as the first parse reads it. */
function planRootEntries(yaml: Document.Parsed, source: string, text: string, region: Region): (() => void) | undefined {
  const root = yaml.contents as YAMLMap;
  if (region.column !== 0 || replacedHoldAnchors(region)) return undefined;
  const delta = text.length - source.length;
  const end = region.end + delta;
  if (region.end < source.length && text[end - 1] !== '\n') return undefined;
  const firstLine = region.start === 0 ? firstContentLine(text, 0, end) : region.start;
  if (firstLine === undefined || indentOf(text, firstLine) !== 0) return undefined;
  const starts = entryLines(text, firstLine, end, 0);
  if (!starts || starts.length === 0 || starts[0] !== firstLine) return undefined;
  const pairs: Pair[] = [];
  let last: Entry | undefined;
  let docStart: number | undefined;
  for (let k = 0; k < starts.length; k++) {
    const from = k === 0 ? region.start : starts[k]!;
    // The text's first entry holds the leading comments, after which the document starts.
    const first = from === 0;
    const following = followingEntry(region, delta);
    const next =
      starts[k + 1] === undefined
        ? following && nextEntry(text, end, following.more ? following.end : undefined, following.end)
        : nextEntry(text, starts[k + 1], starts[k + 2] ?? (following ? end : undefined), starts[k + 2] ?? end);
    const section = readSection(text, from, starts[k]!, starts[k + 1] ?? end, first, next);
    if (!section || (first && !section.doc?.range)) return undefined;
    if (first) docStart = section.doc!.range[0];
    pairs.push(section.pair);
    last = section.last;
  }
  const lastAtTop = region.last === root.items.length - 1;
  const moving: Range[] = lastAtTop ? [] : [root.range!, yaml.range!];
  if (moving.some((range) => range[1] < region.end || range[2] < region.end)) return undefined;
  return () => {
    root.items.splice(region.first, region.last - region.first + 1, ...pairs);
    for (let k = region.first + pairs.length; k < root.items.length; k++) moveTree(root.items[k], delta);
    if (region.first === 0) root.range![0] = (root.items[0]!.key as Node).range![0];
    if (docStart !== undefined) yaml.range![0] = docStart;
    finishRanges(yaml, moving, delta, lastAtTop ? root.range! : undefined, lastAtTop, last!);
  };
}

/**
 * Moves the ends of the enclosing maps and the document that lie after the
 * region; those that end with it end where its last chunk's map and document do.
 */
function finishRanges(
  yaml: Document.Parsed,
  moving: readonly Range[],
  delta: number,
  ending: Range | undefined,
  lastAtTop: boolean,
  last: Entry,
): void {
  for (const range of moving) {
    range[1] += delta;
    range[2] += delta;
  }
  if (ending) endLike(ending, last.mapRange, 0);
  if (lastAtTop) {
    endLike((yaml.contents as YAMLMap).range!, last.mapRange, 0);
    endLike(yaml.range!, last.docRange, 0);
  }
}

/** Where the entry after the region ends in the new text, and whether another follows it; undefined when none follows. */
function followingEntry(region: Region, delta: number): { end: number; more: boolean } | undefined {
  const items = region.map.items.length;
  return region.last < items - 1 ? { end: region.nextEnd + delta, more: region.last + 2 < items } : undefined;
}

function replacedHoldAnchors(region: Region): boolean {
  for (let k = region.first; k <= region.last; k++) if (holdsAnchorOrAlias(region.map.items[k])) return true;
  return false;
}

function indentOf(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === 32) i++;
  return i - lineStart;
}

/** Compares in blocks first: a 2 MB text is mostly equal, and string equality is memcmp-fast. */
const BLOCK = 4096;

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let at = 0;
  while (at + BLOCK <= max && a.slice(at, at + BLOCK) === b.slice(at, at + BLOCK)) at += BLOCK;
  while (at < max && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + BLOCK <= max && a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)) n += BLOCK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/**
 * The start of the line of a written scalar key that only spaces precede;
 * undefined for any other layout (an empty key may sit on a line above its `:`).
 */
function keyLineStart(pair: Pair, source: string): number | undefined {
  const key = pair.key;
  if (!isScalar(key) || !key.range || key.range[1] === key.range[0]) return undefined;
  const at = key.range[0];
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  for (let i = lineStart; i < at; i++) if (source.charCodeAt(i) !== 32) return undefined;
  return lineStart;
}

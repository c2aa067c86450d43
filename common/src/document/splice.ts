/**
 * Incremental parsing: after an edit inside one entry of a block map, read
 * only that entry's chunk (./chunks.ts) and put the new Pair into the
 * previous AST, instead of parsing megabytes of YAML again.
 *
 * The entry is a pair of the root map (`pipeline:`, `params:`) or of a block
 * map that is the value of one (a step under `steps:`, a param under
 * `params:`). Besides the chunk conditions, the previous version must have
 * parsed without errors or warnings (error recovery depends on everything
 * around the edit), the edit must lie inside the chunk, and the old entry
 * must hold no anchor. Anything else returns undefined and the caller parses
 * the whole text.
 *
 * The previous AST is mutated: the new Pair replaces the old one and every
 * range after the chunk moves by the length difference. Pairs outside the
 * chunk stay the same objects, which keeps their memos (./pairMemo.ts).
 * Comments of neighbouring nodes are not maintained: no feature reads them.
 */
import { isMap, isScalar, type Document, type Node, type Pair, type Range, type YAMLMap } from 'yaml';
import { endLike, holdsAnchorOrAlias, moveTree, readEntry } from './chunks';

/** The largest root entry (in characters) read again as one chunk. */
const MAX_SECTION = 65_536;

/** A version's text and the AST parsed from it. */
export interface ParsedText {
  readonly source: string;
  readonly yaml: Document.Parsed;
}

/** The map entry whose chunk holds the whole edit. */
interface Target {
  readonly map: YAMLMap;
  readonly index: number;
  /** The start of the key's line. */
  readonly start: number;
  /** The start of the line after the chunk (or the end of the text). */
  readonly end: number;
  /** The key's column. */
  readonly column: number;
}

/**
 * The AST of `text`, made by re-reading one entry of `previous.yaml` (which
 * this mutates), or undefined when the edit does not qualify.
 */
export function spliceYaml(previous: ParsedText, text: string): Document.Parsed | undefined {
  const { source, yaml } = previous;
  if (yaml.errors.length > 0 || yaml.warnings.length > 0) return undefined;
  const root = yaml.contents;
  if (!isMap(root) || root.flow) return undefined;
  const prefix = commonPrefix(source, text);
  if (prefix === source.length && prefix === text.length) return yaml;
  const suffix = commonSuffix(source, text, Math.min(source.length, text.length) - prefix);
  const top = chunkAt(root, source, prefix, source.length - suffix, source.length);
  if (!top) return undefined;
  const section = root.items[top.index]!.value;
  const inner = isMap(section) && !section.flow ? chunkAt(section, source, prefix, source.length - suffix, top.end) : undefined;
  // A step or a param alone if it reads so, else its whole section (a new param, say) when small: a
  // large one (`steps:` with a new step) is better read by pieces, as the caller does.
  const splice =
    (inner && planSplice(previous, text, top, inner)) ?? (top.end - top.start <= MAX_SECTION ? planSplice(previous, text, top) : undefined);
  if (!splice) return undefined;
  splice();
  return yaml;
}

/** Checks that `inner` (or `top` itself) can be re-read, and returns the mutation that puts it in place. */
function planSplice({ source, yaml }: ParsedText, text: string, top: Target, inner?: Target): (() => void) | undefined {
  const root = yaml.contents as YAMLMap;
  const target = inner ?? top;
  if (!yaml.range || !root.range || holdsAnchorOrAlias(target.map.items[target.index])) return undefined;
  const delta = text.length - source.length;
  const chunkText = text.slice(target.start, target.end + delta);
  if (target.end < source.length && !chunkText.endsWith('\n')) return undefined;
  const entry = readEntry(chunkText, target.column, target.column);
  if (!entry || !entry.map.range || !entry.doc.range) return undefined;

  // Enclosing maps (and the document) end where the chunk's content ends when
  // the entry is their last one; otherwise after the chunk, so they move.
  const lastInMap = target.index === target.map.items.length - 1;
  const lastAtTop = inner ? lastInMap && top.index === root.items.length - 1 : lastInMap;
  const ending: Range[] = [];
  const moving: Range[] = [];
  if (inner) (lastInMap ? ending : moving).push(inner.map.range!);
  (lastAtTop ? ending : moving).push(root.range);
  if (!lastAtTop) moving.push(yaml.range);
  if (moving.some((range) => range[1] < target.end || range[2] < target.end)) return undefined;

  return () => {
    moveTree(entry.pair, target.start);
    target.map.items[target.index] = entry.pair;
    for (const later of target.map.items.slice(target.index + 1)) moveTree(later, delta);
    if (inner) for (const later of root.items.slice(top.index + 1)) moveTree(later, delta);
    for (const range of moving) {
      range[1] += delta;
      range[2] += delta;
    }
    for (const range of ending) endLike(range, entry.map.range!, target.start);
    if (lastAtTop) endLike(yaml.range!, entry.doc.range!, target.start);
  };
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

/** The entry of `map` whose chunk holds `[from, to)`; the last entry's chunk ends at `mapEnd`. */
function chunkAt(map: YAMLMap, source: string, from: number, to: number, mapEnd: number): Target | undefined {
  const items = map.items;
  let lo = 0;
  let hi = items.length - 1;
  let index = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = keyLineStart(items[mid]!, source);
    if (start === undefined) return undefined;
    if (start <= from) {
      index = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (index < 0) return undefined;
  const pair = items[index]!;
  const start = keyLineStart(pair, source)!;
  const end = index + 1 < items.length ? keyLineStart(items[index + 1]!, source) : mapEnd;
  if (end === undefined || to > end) return undefined;
  return { map, index, start, end, column: (pair.key as Node).range![0] - start };
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

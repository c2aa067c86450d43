/**
 * Reads the text of the cursor's line (or of a flow collection around it)
 * from a known starting point to the cursor. The YAML AST of a half-typed
 * line is often not what the user means (`ty` may be a value, `[a,` has no
 * end), so the last few characters are read here; what lies above the line
 * comes from the AST (see locate.ts).
 */
import type { Span } from '../expressions/ast';
import { ITEM } from './locate';

/** The scalar the cursor is in: what a completion replaces. */
export interface Token extends Span {
  /** Inside `'...'` or `"..."`; `start` is after the quote. */
  readonly quoted: boolean;
}

/** Where the scan ended up: at a key of the map at `mapPath`, or at the value or list item of the key at `keyPath`. */
export type Hit =
  | {
      readonly at: 'key';
      readonly mapPath: readonly string[];
      readonly token: Token;
      readonly hasColon: boolean;
      readonly flowKeys?: readonly string[];
    }
  | { readonly at: 'value'; readonly keyPath: readonly string[]; readonly token: Token; readonly inFlow?: boolean }
  | { readonly at: 'item'; readonly keyPath: readonly string[]; readonly token: Token; readonly flowItems?: readonly string[] }
  | { readonly at: 'none' };

export const NO_HIT: Hit = { at: 'none' };

/** How far past the cursor a flow collection is read to find its other keys or items. */
const FLOW_LOOKAHEAD = 4096;

export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function isBreak(c: string | undefined): boolean {
  return c === undefined || c === '\n' || c === '\r';
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isBlank(text[end - 1])) end--;
  return end;
}

/** The offset of the closing quote of the scalar opening at `open`, or -1 before `limit`. */
function closingQuote(text: string, open: number, limit: number): number {
  const quote = text[open];
  for (let i = open + 1; i < limit; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/** After a `${{` at `at`: the offset after its `}}`, or `limit` when it is not closed before. */
function skipTemplate(text: string, at: number, limit: number): number {
  const close = text.indexOf('}}', at + 3);
  return close < 0 || close + 2 > limit ? limit : close + 2;
}

/**
 * A line at the key level of a block map, from its first non-blank character
 * `start`: the cursor is in the key, or after `key:` in its value.
 */
export function scanBlockLine(
  text: string,
  start: number,
  lineEnd: number,
  cursor: number,
  mapPath: readonly string[],
  blanks = false,
): Hit {
  const first = text[start];
  if (first === '#' || first === '"' || first === "'" || first === '[' || first === '{' || first === '?') return NO_HIT;
  let i = start;
  let colon = -1;
  for (; i < lineEnd; i++) {
    const c = text[i];
    if (c === ':' && (i + 1 >= lineEnd || isBlank(text[i + 1]))) {
      colon = i;
      break;
    }
    if (c === '#' && isBlank(text[i - 1])) break;
  }
  const keyEnd = trimEnd(text, start, colon >= 0 ? colon : i);
  if (colon < 0 || cursor <= colon) {
    if (cursor > keyEnd) return NO_HIT;
    return { at: 'key', mapPath, token: { start, end: keyEnd, quoted: false }, hasColon: colon >= 0 };
  }
  return scanBlockValue(text, colon + 1, lineEnd, cursor, [...mapPath, text.slice(start, keyEnd)], false, blanks);
}

/**
 * A block value (after `key:` or `- `) from `from` to the end of its line:
 * a plain or quoted scalar, or a flow collection that may go on below.
 */
export function scanBlockValue(
  text: string,
  from: number,
  lineEnd: number,
  cursor: number,
  keyPath: readonly string[],
  asItem: boolean,
  blanks = false,
): Hit {
  const make = (token: Token): Hit => (asItem ? { at: 'item', keyPath, token } : { at: 'value', keyPath, token });
  let i = from;
  while (i < lineEnd && isBlank(text[i])) i++;
  if (i >= lineEnd) return cursor >= from ? make({ start: cursor, end: cursor, quoted: false }) : NO_HIT;
  if (cursor < i) return blanks && cursor >= from ? make({ start: cursor, end: cursor, quoted: false }) : NO_HIT;
  const c = text[i];
  if (c === '&' || c === '!') {
    // An anchor or a tag before the value.
    let j = i;
    while (j < lineEnd && !isBlank(text[j])) j++;
    return cursor <= j ? NO_HIT : scanBlockValue(text, j, lineEnd, cursor, keyPath, asItem, blanks);
  }
  if (c === '#' || c === '|' || c === '>' || c === '*') return NO_HIT;
  if (c === '[' || c === '{') return cursor === i ? NO_HIT : scanFlow(text, i, cursor, keyPath);
  if (c === '"' || c === "'") {
    if (cursor === i) return NO_HIT;
    const close = closingQuote(text, i, lineEnd);
    if (close >= 0 && close < cursor) return NO_HIT;
    return make({ start: i + 1, end: close >= 0 ? close : trimEnd(text, i + 1, lineEnd), quoted: true });
  }
  let j = i;
  while (j < lineEnd) {
    if (text.startsWith('${{', j)) {
      j = skipTemplate(text, j, lineEnd);
      continue;
    }
    if (text[j] === '#' && isBlank(text[j - 1])) break;
    j++;
  }
  if (cursor > j) return NO_HIT;
  return make({ start: i, end: Math.max(trimEnd(text, i, j), cursor), quoted: false });
}

interface Frame {
  readonly map: boolean;
  readonly path: readonly string[];
  key: string | undefined;
  atValue: boolean;
  readonly keys: string[];
  readonly items: string[];
}

function frame(map: boolean, path: readonly string[]): Frame {
  return { map, path, key: undefined, atValue: false, keys: [], items: [] };
}

/** Where an entry of `top` that is itself a collection sits. */
function childPath(top: Frame): readonly string[] {
  return top.map ? [...top.path, top.key ?? ''] : [...top.path, ITEM];
}

function startsPlain(c: string, top: Frame): boolean {
  return !' \t\n\r,[]{}#"\''.includes(c) && !(c === ':' && top.map && !top.atValue);
}

function indentation(text: string, lineStart: number): number {
  let i = lineStart;
  while (text[i] === ' ') i++;
  return i - lineStart;
}

/**
 * An unclosed flow collection ends where a line is indented no more than the
 * line it opened on: that line is the next block entry, not an item.
 */
function endsFlow(text: string, lineStart: number, baseIndent: number): boolean {
  const indent = indentation(text, lineStart);
  return !isBreak(text[lineStart + indent]) && indent <= baseIndent;
}

/** The end of the line of `at`, before its `\r\n` or `\n`. */
function lineEndAt(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  if (end < 0) return text.length;
  return end > at && text[end - 1] === '\r' ? end - 1 : end;
}

/**
 * A flow collection opening at `open` (`[` or `{`), possibly over several
 * lines. Reads on past the cursor to the end of the collection the cursor is
 * in, so that keys and items after the cursor count as present too.
 */
export function scanFlow(text: string, open: number, cursor: number, path: readonly string[]): Hit {
  const limit = Math.min(text.length, cursor + FLOW_LOOKAHEAD);
  const stack: Frame[] = [frame(text[open] === '{', path)];
  let hit: Hit | undefined;
  let hitFrame: Frame | undefined;
  /** The entry the cursor is in, left out of the present keys or items. */
  let skipKey = -1;
  let skipItem = -1;

  const place = (top: Frame, token: Token, next: number): void => {
    hitFrame = top;
    if (top.map && !top.atValue) {
      let k = next;
      while (k < limit && isBlank(text[k])) k++;
      hit = { at: 'key', mapPath: top.path, token, hasColon: text[k] === ':' };
    } else if (top.map) {
      hit = { at: 'value', keyPath: [...top.path, top.key ?? ''], token };
    } else {
      hit = { at: 'item', keyPath: top.path, token };
    }
  };

  const openLine = text.lastIndexOf('\n', open - 1) + 1;
  const baseIndent = indentation(text, openLine);
  let i = open + 1;
  while (i < limit && stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const c = text[i]!;
    // A plain scalar starting at the cursor is the token; anywhere else the cursor sits between entries.
    if (!hit && i >= cursor && !(i === cursor && startsPlain(c, top))) place(top, { start: cursor, end: cursor, quoted: false }, cursor);
    if (c === '\n' && hit && endsFlow(text, i + 1, baseIndent)) break;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' && (isBlank(text[i - 1]) || isBreak(text[i - 1]))) {
      const end = lineEndAt(text, i);
      if (!hit && cursor > i && cursor <= end) return NO_HIT;
      i = end;
      continue;
    }
    if (c === ',') {
      top.key = undefined;
      top.atValue = false;
      i++;
      continue;
    }
    if (c === ']' || c === '}') {
      stack.pop();
      i++;
      if (top === hitFrame) break;
      continue;
    }
    if (c === ':' && top.map && !top.atValue) {
      top.atValue = true;
      i++;
      continue;
    }
    if (c === '[' || c === '{') {
      if (!top.map) top.items.push('');
      stack.push(frame(c === '{', childPath(top)));
      i++;
      continue;
    }
    let start = i;
    let end: number;
    let next: number;
    let quoted = false;
    if (c === '"' || c === "'") {
      const close = closingQuote(text, i, limit);
      quoted = true;
      start = i + 1;
      end = close < 0 ? limit : close;
      next = close < 0 ? limit : close + 1;
    } else {
      let j = i;
      while (j < limit) {
        if (text.startsWith('${{', j)) {
          j = skipTemplate(text, j, limit);
          continue;
        }
        const d = text[j];
        if (d === ',' || d === '[' || d === ']' || d === '{' || d === '}' || d === '\n' || d === '\r') break;
        if (d === ':' && top.map && !top.atValue) {
          const after = text[j + 1];
          if (after === undefined || isBlank(after) || isBreak(after) || after === ',' || after === ']' || after === '}') break;
        }
        if (d === '#' && isBlank(text[j - 1])) break;
        j++;
      }
      end = trimEnd(text, i, j);
      next = j;
    }
    const value = text.slice(start, end);
    if (!hit && cursor >= start && cursor <= Math.max(end, quoted ? end : next)) {
      // An unclosed quote may find a `"` lines below; replace no further than the cursor's line.
      place(top, { start, end: Math.max(Math.min(end, lineEndAt(text, cursor)), cursor), quoted }, next);
      if (top.map && !top.atValue) skipKey = top.keys.length;
      else if (!top.map) skipItem = top.items.length;
    } else if (!hit && quoted && cursor > end && cursor <= next) {
      // Right after a closing quote.
      return NO_HIT;
    }
    if (top.map && !top.atValue) {
      top.keys.push(value);
      top.key = value;
    } else if (!top.map) {
      top.items.push(value);
    }
    i = next;
  }
  if (!hit) {
    // The text ends at the cursor, inside the collection.
    const top = stack[stack.length - 1];
    if (!top || i < cursor) return NO_HIT;
    place(top, { start: cursor, end: cursor, quoted: false }, cursor);
  }
  const found = hit!;
  const owner = hitFrame!;
  if (found.at === 'key') return { ...found, flowKeys: owner.keys.filter((_, n) => n !== skipKey) };
  if (found.at === 'item') return { ...found, flowItems: owner.items.filter((v, n) => n !== skipItem && v !== '') };
  return found.at === 'value' ? { ...found, inFlow: true } : found;
}

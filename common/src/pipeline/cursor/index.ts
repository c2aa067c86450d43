/**
 * Where the cursor is in a pipeline file, in the format's terms: at a key of
 * which map, at the value or list item of which key, or inside a `${{ }}`
 * with which segments typed. Completion reads it; it works on half-typed
 * lines (a partial key, `needs: [a, `, an unclosed `${{`), blank lines (by
 * their indentation) and flow collections.
 *
 * Cost: the cursor's line (or the flow collection around it) is read as text;
 * everything above comes from the parsed AST by binary search.
 */
import type { Node } from 'yaml';
import type { ParsedDocument } from '../../document/parsedDocument';
import type { Span } from '../../expressions/ast';
import { scalarText } from '../model';
import { locateLine, type LineOwner } from './locate';
import { isPipelineContext, mapKindOf, type MapPlace } from './places';
import { isBlank, NO_HIT, scanBlockLine, scanBlockValue, scanFlow, type Hit, type Token } from './scan';

export { isPipelineContext, mapKindOf, type MapKind, type MapPlace } from './places';

export interface Typed {
  /** The text from `range.start` to the cursor. */
  readonly prefix: string;
  /** What a completion replaces: the key, scalar or expression segment the cursor is in. */
  readonly range: Span;
}

/** At a key of `map`: typing a new key, or on an existing one. */
export interface KeyContext extends Typed {
  readonly kind: 'key';
  readonly map: MapPlace;
  /** The other keys of the map (the one at the cursor left out); empty for maps of names. */
  readonly present: readonly string[];
  /** In a `{ ... }` flow map. */
  readonly flow: boolean;
  /** A `:` already follows the key at the cursor. */
  readonly hasColon: boolean;
}

/** At the scalar value of `key` in `map` (`type: |`, `needs: |`). */
export interface ValueContext extends Typed {
  readonly kind: 'value';
  readonly map: MapPlace;
  readonly key: string;
  readonly quoted: boolean;
}

/** At an item of the list that is the value of `key` in `map` (`needs: [a, |]`, `- |`). */
export interface ItemContext extends Typed {
  readonly kind: 'item';
  readonly map: MapPlace;
  readonly key: string;
  /** The list's other items. */
  readonly items: readonly string[];
  readonly flow: boolean;
  readonly quoted: boolean;
}

/** Inside `${{ ... }}` in the value of `key` in `map`, typing a reference. */
export interface ExpressionContext extends Typed {
  readonly kind: 'expression';
  readonly map: MapPlace;
  readonly key: string;
  /** The segments before the one being typed: `['steps', 'train', 'outputs']`. */
  readonly segments: readonly string[];
  /** FORMATS.md evaluates expressions here (step `run`, `env`, `inputs`, top `env`, `register.from`/`when`). */
  readonly allowed: boolean;
  /** `register.when`: operators and `metrics.NAME` are allowed. */
  readonly condition: boolean;
}

export type CursorContext = KeyContext | ValueContext | ItemContext | ExpressionContext | { readonly kind: 'none' };

const NONE: CursorContext = { kind: 'none' };
/** How far back a flow collection around the cursor may open (characters). */
const MAX_FLOW_SCAN = 65_536;
const KEY_TEXT = /^[A-Za-z0-9_-]*$/;
const NAME_CHAR = /[A-Za-z0-9_-]/;

/** The context at `offset` in a pipeline document. Never throws on malformed text. */
export function cursorContext(doc: ParsedDocument, offset: number): CursorContext {
  const text = doc.text.getText();
  const cursor = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  let lineEnd = text.indexOf('\n', cursor);
  if (lineEnd < 0) lineEnd = text.length;
  if (lineEnd > lineStart && text[lineEnd - 1] === '\r') lineEnd--;
  let content = lineStart;
  while (content < lineEnd && text[content] === ' ') content++;
  const blank = content >= lineEnd;
  if (!blank && cursor < content) return NONE;
  const indent = (blank ? cursor : content) - lineStart;
  const dash = !blank && text[content] === '-' && (content + 1 >= lineEnd || isBlank(text[content + 1]));

  const owner = locateLine(doc.yaml, text, lineStart, indent, dash);
  const hit = scanLine(text, owner, blank, dash, content, lineEnd, cursor);
  return toContext(text, cursor, hit, owner, lineStart, lineEnd);
}

function scanLine(text: string, owner: LineOwner, blank: boolean, dash: boolean, content: number, lineEnd: number, cursor: number): Hit {
  switch (owner.mode) {
    case 'map':
      if (dash) return NO_HIT;
      if (blank) return { at: 'key', mapPath: owner.path, token: { start: cursor, end: cursor, quoted: false }, hasColon: false };
      return scanBlockLine(text, content, lineEnd, cursor, owner.path);
    case 'seq': {
      if (!dash || cursor <= content + 1) return NO_HIT;
      return scanBlockValue(text, content + 1, lineEnd, cursor, owner.path, true);
    }
    case 'value':
      return dash ? NO_HIT : scanBlockValue(text, Math.min(content, cursor), lineEnd, cursor, owner.path, false);
    case 'scalar':
      // Only an expression can be completed on a continuation line; toContext checks for one.
      return { at: 'value', keyPath: owner.path, token: { start: Math.min(content, cursor), end: lineEnd, quoted: false } };
    case 'flow':
      // A flow collection left open near the top of a large file would otherwise be re-read on every request.
      return cursor - owner.start > MAX_FLOW_SCAN ? NO_HIT : scanFlow(text, owner.start, cursor, owner.path);
    case 'none':
      return NO_HIT;
  }
}

function toContext(text: string, cursor: number, hit: Hit, owner: LineOwner, lineStart: number, lineEnd: number): CursorContext {
  if (hit.at === 'none') return NONE;
  const range = (token: Token): Span => ({ start: token.start, end: Math.max(token.end, cursor) });
  if (hit.at === 'key') {
    const prefix = text.slice(hit.token.start, cursor);
    if (!KEY_TEXT.test(prefix)) return NONE;
    const map = mapKindOf(hit.mapPath);
    const flow = hit.flowKeys !== undefined;
    const present = !isPipelineContext(map.kind)
      ? []
      : flow
        ? hit.flowKeys!
        : owner.mode === 'map'
          ? presentKeys(owner, lineStart, lineEnd)
          : [];
    return { kind: 'key', map, present, flow, hasColon: hit.hasColon, prefix, range: range(hit.token) };
  }
  const keyPath = hit.keyPath;
  const key = keyPath[keyPath.length - 1] ?? '';
  const map = mapKindOf(keyPath.slice(0, -1));
  const typed = text.slice(hit.token.start, cursor);
  const open = typed.lastIndexOf('${{');
  if (open >= 0 && typed.indexOf('}}', open) < 0) return expression(text, cursor, hit.token.start + open + 3, map, key, lineEnd);
  if (owner.mode === 'scalar') return NONE;
  const prefix = typed;
  if (hit.at === 'value') return { kind: 'value', map, key, quoted: hit.token.quoted, prefix, range: range(hit.token) };
  const flow = hit.flowItems !== undefined;
  const items = flow ? hit.flowItems! : owner.mode === 'seq' ? seqItems(owner, lineStart, lineEnd) : [];
  return { kind: 'item', map, key, items, flow, quoted: hit.token.quoted, prefix, range: range(hit.token) };
}

function presentKeys(owner: Extract<LineOwner, { mode: 'map' }>, lineStart: number, lineEnd: number): string[] {
  const keys: string[] = [];
  for (const pair of owner.map?.items ?? []) {
    const start = (pair.key as Node | null)?.range?.[0];
    if (start !== undefined && start >= lineStart && start <= lineEnd) continue;
    const name = scalarText(pair.key);
    if (name !== undefined) keys.push(name);
  }
  return keys;
}

function seqItems(owner: Extract<LineOwner, { mode: 'seq' }>, lineStart: number, lineEnd: number): string[] {
  const items: string[] = [];
  for (const item of owner.seq?.items ?? []) {
    const start = (item as Node | null)?.range?.[0];
    if (start !== undefined && start >= lineStart && start <= lineEnd) continue;
    const name = scalarText(item);
    if (name !== undefined) items.push(name);
  }
  return items;
}

/** The reference being typed in a `${{` whose body starts at `bodyStart`. */
function expression(text: string, cursor: number, bodyStart: number, map: MapPlace, key: string, lineEnd: number): CursorContext {
  const body = text.slice(bodyStart, cursor);
  // Inside a 'string literal'.
  if ((body.split("'").length - 1) % 2 === 1) return NONE;
  let from = cursor;
  while (from > bodyStart && (NAME_CHAR.test(text[from - 1]!) || text[from - 1] === '.')) from--;
  const parts = text.slice(from, cursor).split('.');
  const partial = parts.pop() ?? '';
  if (parts.some((p) => p === '')) return NONE;
  const head = parts[0] ?? partial;
  if (/^[0-9-]/.test(head)) return NONE;
  let end = cursor;
  while (end < lineEnd && NAME_CHAR.test(text[end]!)) end++;
  const allowed =
    (map.kind === 'step' && (key === 'run' || key === 'inputs')) ||
    map.kind === 'env' ||
    (map.kind === 'register' && (key === 'from' || key === 'when'));
  const condition = map.kind === 'register' && key === 'when';
  return {
    kind: 'expression',
    map,
    key,
    segments: parts,
    allowed,
    condition,
    prefix: partial,
    range: { start: cursor - partial.length, end },
  };
}

/**
 * Where the cursor is in a pipeline file, in the format's terms: at a key of
 * which map, at the value or list item of which key, or inside a `${{ }}`
 * with which segments typed. Completion reads it; it works on half-typed
 * lines (a partial key, `needs: [a, `, an unclosed `${{`), blank lines (by
 * their indentation) and flow collections.
 *
 * The shared YAML cursor (yaml/cursor.ts) finds the place; this layer names
 * the pipeline's maps and reads `${{ }}` expressions.
 */
import type { Node } from 'yaml';
import type { ParsedDocument } from '../../document/parsedDocument';
import type { Span } from '../../expressions/ast';
import { cursorLine, type CursorLine, type LineOwner, type Shape, type Token, type Typed } from '../../yaml/cursor';
import { scalarText } from '../model';
import { keySpec } from '../schema';
import { isPipelineContext, mapKindOf, type MapPlace } from './places';

export { isPipelineContext, type MapPlace } from './places';

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
  /** docs/formats.md (section Expressions) evaluates expressions here (step `run`, `env`, `inputs`, top `env`, `register.from`/`when`). */
  readonly allowed: boolean;
  /** `register.when`: operators and `metrics.NAME` are allowed. */
  readonly condition: boolean;
}

export type CursorContext = KeyContext | ValueContext | ItemContext | ExpressionContext | { readonly kind: 'none' };

const NONE: CursorContext = { kind: 'none' };
const KEY_TEXT = /^[A-Za-z0-9_-]*$/;
const NAME_CHAR = /[A-Za-z0-9_-]/;
/** Below a key with nothing parsed there yet: keys where the format expects a map (`steps`, a step id, `outputs`, ...). */
const PIPELINE_SHAPE: Shape = { expectsMap: (path) => mapKindOf(path).kind !== 'other', lists: false, blanks: false };

/** The context at `offset` in a pipeline document. Never throws on malformed text. */
export function cursorContext(doc: ParsedDocument, offset: number): CursorContext {
  const line = cursorLine(doc, offset, PIPELINE_SHAPE);
  return line ? toContext(line) : NONE;
}

function toContext({ text, cursor, hit, owner, lineStart, lineEnd }: CursorLine): CursorContext {
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
  // The key table says where expressions are evaluated; for a map of env variables, the `env` key above it does.
  const spec = isPipelineContext(map.kind)
    ? keySpec(map.kind, key)
    : map.kind === 'env'
      ? keySpec(map.path.length === 1 ? 'top' : 'step', 'env')
      : undefined;
  const allowed = spec?.expr !== undefined && (map.kind === 'env' || spec.shape !== 'map');
  const condition = spec?.expr === 'condition';
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

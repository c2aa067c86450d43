/**
 * Data derived from one YAML pair (a step, say), computed once per Pair
 * object. A splice (./splice.ts) keeps the Pair objects outside the edited
 * chunk and moves their nodes' ranges, so after an edit only the edited entry
 * is read again.
 *
 * A memoised value must not hold offsets of its own, which a splice would
 * leave behind: it holds AST nodes, or spans anchored to them (./anchored.ts),
 * or goes through `memoizedWithOffsets`.
 */
import type { Node, Pair } from 'yaml';
import { moved } from './anchored';

/** One kind of derived data; create one per kind, at module level. */
export class MemoSlot<T> {
  /** Only carries the type of the slot's value. */
  declare private readonly value?: T;
}

const memos = new WeakMap<Pair, Map<MemoSlot<unknown>, unknown>>();

/** `compute()` once per pair and slot. */
export function memoized<T>(pair: Pair, slot: MemoSlot<T>, compute: () => T): T {
  let slots = memos.get(pair);
  if (!slots) {
    slots = new Map();
    memos.set(pair, slots);
  }
  if (slots.has(slot)) return slots.get(slot) as T;
  const value = compute();
  slots.set(slot, value);
  return value;
}

/**
 * Like `memoized`, for a value with plain offsets (diagnostics with their
 * related locations and fix edits): returned as computed while the pair has
 * not moved, else as a copy moved by as much as the pair's key has. A pair
 * without a key range is not memoised (nothing tells how far it moved).
 */
export function memoizedWithOffsets<T>(pair: Pair, slot: MemoSlot<{ readonly keyStart: number; readonly value: T }>, compute: () => T): T {
  const keyStart = (pair.key as Node | null)?.range?.[0];
  if (keyStart === undefined) return compute();
  const memo = memoized(pair, slot, () => ({ keyStart, value: compute() }));
  return memo.keyStart === keyStart ? memo.value : moved(memo.value, keyStart - memo.keyStart);
}

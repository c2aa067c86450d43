/**
 * One column of the reference and the current data made ready for the tests: numeric when
 * every value on both sides is a number (numbers sorted ascending in Float64Arrays),
 * categorical otherwise (strings); missing values counted and left out.
 */
import type { Cell } from './dataTable';
import { sortFloat64 } from './radixSort';

/** Whether a string that Number() reads as finite is a plain decimal (not 0x10, 0b1, 0o7). */
export function plainNumber(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first !== 48 && first !== 32 && first !== 9) return true; // not '0' nor blank: no radix prefix
  return !/^\s*0[xXbBoO]/.test(text);
}

export type PreparedColumn =
  | {
      readonly kind: 'numeric';
      readonly reference: Float64Array;
      readonly current: Float64Array;
      readonly referenceMissing: number;
      readonly currentMissing: number;
      readonly uniqueValues: number;
    }
  | {
      readonly kind: 'categorical';
      readonly reference: string[];
      readonly current: string[];
      readonly referenceMissing: number;
      readonly currentMissing: number;
      readonly uniqueValues: number;
    };

/** The numbers of a column, sorted, or undefined as soon as a value is not a finite number. */
function numbers(cells: readonly Cell[]): { values: Float64Array; missing: number } | undefined {
  const buffer = new Float64Array(cells.length);
  let count = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (c === null) continue;
    if (typeof c === 'number') {
      buffer[count++] = c;
      continue;
    }
    const v = +c;
    if (!Number.isFinite(v) || !plainNumber(c)) return undefined;
    buffer[count++] = v;
  }
  const values = count === cells.length ? buffer : buffer.slice(0, count);
  return { values: sortFloat64(values), missing: cells.length - count };
}

function strings(cells: readonly Cell[]): { values: string[]; missing: number } {
  const values: string[] = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c !== null && c !== undefined) values.push(String(c));
  }
  return { values, missing: cells.length - values.length };
}

/** Distinct values of two sorted arrays together. */
function uniqueSorted(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    count++;
  }
  return count;
}

/** A numeric column from its numbers, both sorted ascending, and missing counts. */
export function numericColumn(
  reference: Float64Array,
  referenceMissing: number,
  current: Float64Array,
  currentMissing: number,
): PreparedColumn {
  return { kind: 'numeric', reference, current, referenceMissing, currentMissing, uniqueValues: uniqueSorted(reference, current) };
}

export function prepareColumn(reference: readonly Cell[], current: readonly Cell[]): PreparedColumn {
  const refNumbers = numbers(reference);
  const curNumbers = refNumbers && numbers(current);
  if (refNumbers && curNumbers) {
    return {
      kind: 'numeric',
      reference: refNumbers.values,
      current: curNumbers.values,
      referenceMissing: refNumbers.missing,
      currentMissing: curNumbers.missing,
      uniqueValues: uniqueSorted(refNumbers.values, curNumbers.values),
    };
  }
  const ref = strings(reference);
  const cur = strings(current);
  const unique = new Set(ref.values);
  for (const v of cur.values) unique.add(v);
  return {
    kind: 'categorical',
    reference: ref.values,
    current: cur.values,
    referenceMissing: ref.missing,
    currentMissing: cur.missing,
    uniqueValues: unique.size,
  };
}

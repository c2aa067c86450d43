/**
 * Widens an empty range to one character so that the editor can show it; at
 * the end of the text it takes the character before.
 */
export function nonEmptyRange(start: number, end: number, length: number): [number, number] {
  let s = Math.max(0, Math.min(start, length));
  let e = Math.max(s, Math.min(end, length));
  if (e === s) {
    if (e < length) e = s + 1;
    else if (s > 0) s = s - 1;
  }
  return [s, e];
}

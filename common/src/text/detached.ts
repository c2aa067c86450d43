/**
 * A copy of `text` that does not keep alive the string it was sliced from.
 * V8 represents a long slice as a view of its parent, so a short string kept
 * in a memo (a step's name, an expression's segment) would otherwise hold a
 * whole 2 MB version of the document, one per edit. The concatenation makes a
 * new string that the slice is then taken from.
 */
export function detached(text: string): string {
  return ` ${text}`.slice(1);
}

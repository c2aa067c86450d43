/**
 * Sorts a Float64Array ascending in place by an LSD radix sort on the IEEE bits (six 11-bit
 * digits, passes where every key shares the digit skipped): O(n), several times faster than
 * TypedArray#sort from about a thousand values. NaN must not occur; -0 sorts before +0, as
 * TypedArray#sort puts it.
 */

const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;
const SMALL = 1024;

export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < SMALL) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2); // little-endian: lo, hi
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1]!;
    const l = words[2 * i]!;
    // Order-preserving map: negatives flip every bit, positives flip the sign bit.
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const counts = new Uint32Array(RADIX);
  // digits: lo bits 0-10, 11-21, 22-31; hi bits 0-10, 11-21, 22-31
  for (let pass = 0; pass < 6; pass++) {
    const fromHi = pass >= 3;
    const shift = (pass % 3) * BITS;
    const keys = fromHi ? hi : lo;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) & MASK]!++;
    if (counts[(keys[0]! >>> shift) & MASK] === n) continue; // every key has this digit
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(keys[i]! >>> shift) & MASK]!++;
      lo2[at] = lo[i]!;
      hi2[at] = hi[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i]!;
    if (h & 0x80000000) {
      words[2 * i + 1] = (h & 0x7fffffff) >>> 0;
      words[2 * i] = lo[i]!;
    } else {
      words[2 * i + 1] = ~h >>> 0;
      words[2 * i] = ~lo[i]! >>> 0;
    }
  }
  return values;
}

/**
 * Sorts a Float64Array ascending in place by an LSD radix sort on the IEEE bits (six 11-bit
 * digits, passes where every key shares the digit skipped): O(n), several times faster than
 * TypedArray#sort from about a thousand values. The keys are mapped in place (order-preserving
 * bits) while one pass counts every digit, and move as pairs of 32-bit words between the array
 * and one scratch buffer of the same size (8 bytes a value). NaN must not occur; -0 sorts before
 * +0, as TypedArray#sort puts it.
 */

const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;
const SMALL = 1024;

export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < SMALL) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2); // little-endian: lo, hi
  const counts = new Uint32Array(6 * RADIX);
  for (let i = 0; i < 2 * n; i += 2) {
    let h = words[i + 1]!;
    let l = words[i]!;
    // Order-preserving map: negatives flip every bit, positives flip the sign bit.
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    words[i] = l;
    words[i + 1] = h;
    counts[l & MASK]!++;
    counts[RADIX + ((l >>> BITS) & MASK)]!++;
    counts[2 * RADIX + (l >>> (2 * BITS))]!++;
    counts[3 * RADIX + (h & MASK)]!++;
    counts[4 * RADIX + ((h >>> BITS) & MASK)]!++;
    counts[5 * RADIX + (h >>> (2 * BITS))]!++;
  }
  let src: Uint32Array = words;
  let dst: Uint32Array = new Uint32Array(2 * n);
  // digits: lo bits 0-10, 11-21, 22-31; hi bits 0-10, 11-21, 22-31
  for (let pass = 0; pass < 6; pass++) {
    const word = pass >= 3 ? 1 : 0;
    const shift = (pass % 3) * BITS;
    const base = pass * RADIX;
    if (counts[base + ((src[word]! >>> shift) & MASK)] === n) continue; // every key has this digit
    let sum = 0;
    for (let d = base; d < base + RADIX; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < 2 * n; i += 2) {
      const at = 2 * counts[base + ((src[i + word]! >>> shift) & MASK)]!++;
      dst[at] = src[i]!;
      dst[at + 1] = src[i + 1]!;
    }
    [src, dst] = [dst, src];
  }
  if (src !== words) words.set(src);
  for (let i = 0; i < 2 * n; i += 2) {
    const h = words[i + 1]!;
    if (h & 0x80000000) words[i + 1] = (h & 0x7fffffff) >>> 0;
    else {
      words[i + 1] = ~h >>> 0;
      words[i] = ~words[i]! >>> 0;
    }
  }
  return values;
}

/**
 * A plain decimal number read from bytes, without making a string: `[+-]digits[.digits][e[+-]digits]`
 * with at most 15 significant digits and a decimal exponent within ±22, the forms where an exact
 * integer times or divided by an exact power of ten is the correctly rounded double (Clinger's
 * fast path), so the result is bit for bit what `Number(text)` gives. Anything else is NaN: the
 * caller then decodes the text and lets `Number` decide.
 */

const POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact up to 1e22

export function numberFromBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  let c = bytes[i]!;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0;
  while (i < end && (c = bytes[i]!) >= 48 && c <= 57) {
    if (mantissa !== 0 || c !== 48) {
      mantissa = mantissa * 10 + (c - 48);
      significant++;
    }
    digits++;
    i++;
  }
  if (i < end && bytes[i] === 46) {
    i++;
    while (i < end && (c = bytes[i]!) >= 48 && c <= 57) {
      if (mantissa !== 0 || c !== 48) {
        mantissa = mantissa * 10 + (c - 48);
        significant++;
      }
      scale--;
      digits++;
      i++;
    }
  }
  if (digits === 0 || significant > 15) return NaN;
  if (i < end && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === 45 || bytes[i] === 43)) expNegative = bytes[i++] === 45;
    let exponent = 0;
    const from = i;
    while (i < end && (c = bytes[i]!) >= 48 && c <= 57 && exponent < 1000) {
      exponent = exponent * 10 + (c - 48);
      i++;
    }
    if (i === from) return NaN;
    scale += expNegative ? -exponent : exponent;
  }
  if (i !== end) return NaN;
  if (mantissa === 0) return negative ? -0 : 0;
  let value: number;
  if (scale === 0) value = mantissa;
  else if (scale < 0 && scale >= -22) value = mantissa / POWERS[-scale]!;
  else if (scale > 0 && scale <= 22) value = mantissa * POWERS[scale]!;
  else return NaN;
  return negative ? -value : value;
}

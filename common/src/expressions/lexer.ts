import type { Span } from './ast';

export type TokenKind = 'name' | 'number' | 'string' | 'dot' | 'lparen' | 'rparen' | 'operator' | 'invalid' | 'end';

export interface Token extends Span {
  readonly kind: TokenKind;
  /** The source text, except for strings, where it is the unquoted value. */
  readonly text: string;
  /** Strings only: false when the closing quote is missing. */
  readonly terminated?: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_-]/;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!'] as const;

/**
 * Splits `source[from, to)` into tokens with absolute offsets. Names may
 * contain `-` (step ids do), so `a-b` is one name; there is no arithmetic.
 */
export function tokenize(source: string, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < to) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (NAME_START.test(c)) {
      i++;
      while (i < to && NAME_PART.test(source[i]!)) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || ((c === '-' || c === '.') && /[0-9]/.test(source[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(source);
      const end = Math.min(to, i + (match?.[0].length ?? 1));
      tokens.push({ kind: 'number', text: source.slice(start, end), start, end });
      i = end;
      continue;
    }
    if (c === "'") {
      let value = '';
      let terminated = false;
      i++;
      while (i < to) {
        if (source[i] === "'") {
          if (source[i + 1] === "'" && i + 1 < to) {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          terminated = true;
          break;
        }
        value += source[i];
        i++;
      }
      tokens.push({ kind: 'string', text: value, start, end: i, terminated });
      continue;
    }
    if (c === '.') {
      tokens.push({ kind: 'dot', text: '.', start, end: ++i });
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c, start, end: ++i });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i) && i + o.length <= to);
    if (op) {
      i += op.length;
      tokens.push({ kind: 'operator', text: op, start, end: i });
      continue;
    }
    // One code point, so that an emoji is reported whole.
    const width = (source.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    i += width;
    tokens.push({ kind: 'invalid', text: source.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'end', text: '', start: to, end: to });
  return tokens;
}

import { invalid } from '../repository/errors';

export type TokenType = 'word' | 'string' | 'quoted' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'dot';

export interface Token {
  type: TokenType;
  /** For strings and quoted identifiers, the unquoted text. */
  text: string;
  /** Offsets in the source (end exclusive), for error messages. */
  at: number;
  end: number;
}

const WORD_START = /[\p{L}_]/u;
const WORD = /[\p{L}\p{N}_\-:/]/u;
const DIGIT = /[0-9]/;

/**
 * Splits an MLflow filter or order_by clause into tokens. Single- and double-quoted text is a
 * string (the parser decides from its place whether it names a key, as in tags."my.key");
 * backticks always quote a key. A backslash or a doubled quote puts the quote in the text.
 */
export function tokenize(source: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, at: number): never => {
    throw invalid(`Invalid ${what} '${source}': ${message} at position ${at + 1}`);
  };
  while (i < source.length) {
    const c = source[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i;
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) fail(`unterminated ${c === '`' ? 'quoted key' : 'string'}`, start);
        const d = source[i] ?? '';
        if (d === '\\' && i + 1 < source.length) {
          text += source[i + 1];
          i += 2;
        } else if (d === c && source[i + 1] === c) {
          text += c;
          i += 2;
        } else if (d === c) {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      tokens.push({ type: c === '`' ? 'quoted' : 'string', text, at: start, end: i });
    } else if (DIGIT.test(c) || ((c === '-' || c === '+' || c === '.') && DIGIT.test(source[i + 1] ?? '') && !followsValue(tokens))) {
      const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(source.slice(i));
      if (!match) fail('malformed number', i);
      tokens.push({ type: 'number', text: match![0], at: i, end: i + match![0].length });
      i += match![0].length;
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < source.length && WORD.test(source[i] ?? '')) i++;
      tokens.push({ type: 'word', text: source.slice(start, i), at: start, end: i });
    } else if (c === '.') {
      tokens.push({ type: 'dot', text: '.', at: i, end: ++i });
    } else if (c === '(') {
      tokens.push({ type: 'lparen', text: c, at: i, end: ++i });
    } else if (c === ')') {
      tokens.push({ type: 'rparen', text: c, at: i, end: ++i });
    } else if (c === ',') {
      tokens.push({ type: 'comma', text: c, at: i, end: ++i });
    } else {
      const op = /^(!=|<>|<=|>=|==|=|<|>)/.exec(source.slice(i));
      if (!op) fail(`unexpected character '${c}'`, i);
      tokens.push({ type: 'op', text: op![0] === '<>' ? '!=' : op![0] === '==' ? '=' : op![0], at: i, end: i + op![0].length });
      i += op![0].length;
    }
  }
  return tokens;
}

/** `a.b-1` is a key, `x > -1` a number: a sign starts a number only where a value may start. */
function followsValue(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return (
    last !== undefined &&
    (last.type === 'word' || last.type === 'quoted' || last.type === 'string' || last.type === 'number' || last.type === 'rparen')
  );
}

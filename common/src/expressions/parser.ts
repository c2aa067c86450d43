import type { BinaryOperator, Expr, ExpressionError, Segment, Template } from './ast';
import { tokenize, type Token } from './lexer';

const OPEN = '${{';
const CLOSE = '}}';

/** Binary operators by precedence, loosest first. */
const LEVELS: readonly (readonly BinaryOperator[])[] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>=']];

class Failure extends Error {
  constructor(readonly error: ExpressionError) {
    super(error.message);
  }
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Expr {
    const expr = this.binary(0);
    const next = this.peek();
    if (next.kind !== 'end') {
      const message =
        next.kind === 'rparen'
          ? 'unmatched `)`'
          : next.kind === 'invalid'
            ? invalidMessage(next)
            : `unexpected ${describe(next)} after a complete expression`;
      this.fail(message, next);
    }
    return expr;
  }

  private binary(level: number): Expr {
    const operators = LEVELS[level];
    if (!operators) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'operator' || !operators.includes(token.text as BinaryOperator)) return left;
      this.index++;
      const right = this.operand(token, () => this.binary(level + 1));
      left = {
        type: 'binary',
        operator: token.text as BinaryOperator,
        operatorSpan: { start: token.start, end: token.end },
        left,
        right,
        start: left.start,
        end: right.end,
      };
    }
  }

  private unary(): Expr {
    const token = this.peek();
    if (token.kind === 'operator' && token.text === '!') {
      this.index++;
      const operand = this.operand(token, () => this.unary());
      return { type: 'unary', operator: '!', operand, start: token.start, end: operand.end };
    }
    return this.primary();
  }

  /** Parses what must follow an operator, with a message that names the operator. */
  private operand(operator: Token, parse: () => Expr): Expr {
    const next = this.peek();
    if (next.kind === 'end' || next.kind === 'rparen' || (next.kind === 'operator' && next.text !== '!')) {
      this.fail(`\`${operator.text}\` needs a value after it`, next.kind === 'end' ? operator : next);
    }
    return parse();
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'lparen': {
        if (this.peek().kind === 'rparen') this.fail('empty parentheses', token, this.peek());
        const inner = this.binary(0);
        const close = this.next();
        if (close.kind !== 'rparen') this.fail('unclosed `(`; add `)`', token);
        return { type: 'group', inner, start: token.start, end: close.end };
      }
      case 'number': {
        const value = Number(token.text);
        if (!Number.isFinite(value)) this.fail(`\`${token.text}\` is not a number`, token);
        return { type: 'literal', value, start: token.start, end: token.end };
      }
      case 'string':
        if (!token.terminated) this.fail("unterminated string; close it with `'`", token);
        return { type: 'literal', value: token.text, start: token.start, end: token.end };
      case 'name':
        if (token.text === 'true' || token.text === 'false') {
          return { type: 'literal', value: token.text === 'true', start: token.start, end: token.end };
        }
        return this.reference(token);
      case 'end':
        return this.fail('expected a reference such as `params.NAME` or a literal', token);
      case 'invalid':
        return this.fail(invalidMessage(token), token);
      default:
        return this.fail(`unexpected ${describe(token)}`, token);
    }
  }

  private reference(first: Token): Expr {
    const segments: Segment[] = [{ name: first.text, start: first.start, end: first.end }];
    while (this.peek().kind === 'dot') {
      const dot = this.next();
      const name = this.peek();
      if (name.kind !== 'name') this.fail('`.` must be followed by a name', dot, name.kind === 'end' ? dot : name);
      this.index++;
      segments.push({ name: name.text, start: name.start, end: name.end });
    }
    const last = segments[segments.length - 1]!;
    return { type: 'reference', segments, start: first.start, end: last.end };
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private fail(message: string, from: Token, to: Token = from): never {
    throw new Failure({ message, start: from.start, end: Math.max(to.end, from.start) });
  }
}

/** Characters users type by habit from other languages, with what to write instead. */
function invalidMessage(token: Token): string {
  if (token.text === '"') return "strings use single quotes: 'text'";
  if (token.text === '=') return 'use `==` to compare';
  if (token.text === '&' || token.text === '|') return `use \`${token.text}${token.text}\``;
  return `unexpected character \`${token.text}\``;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'name':
      return `name \`${token.text}\``;
    case 'number':
      return `number \`${token.text}\``;
    case 'string':
      return 'string';
    case 'end':
      return 'end of expression';
    default:
      return `\`${token.text}\``;
  }
}

/** Parses the expression in `source[from, to)`; offsets in the result are absolute. */
export function parseExpression(source: string, from: number, to: number): { expr?: Expr; errors: ExpressionError[] } {
  const tokens = tokenize(source, from, to);
  if (tokens.length === 1) {
    return { errors: [{ message: 'empty expression; write a reference such as `params.NAME`', start: from, end: to }] };
  }
  try {
    return { expr: new Parser(tokens).parse(), errors: [] };
  } catch (error) {
    if (error instanceof Failure) return { errors: [error.error] };
    throw error;
  }
}

/**
 * Every `${{ ... }}` in `source[from, to)`, parsed. Scanning the source text
 * (not the YAML value) keeps offsets exact for plain, quoted and block scalars.
 */
export function findTemplates(source: string, from: number, to: number): Template[] {
  const out: Template[] = [];
  // Search a slice so that a scalar without `}}` never scans the rest of a large file.
  const text = source.slice(from, to);
  let at = text.indexOf(OPEN);
  while (at !== -1) {
    const start = from + at;
    const bodyStart = start + OPEN.length;
    const close = text.indexOf(CLOSE, at + OPEN.length);
    if (close === -1) {
      const errors = [{ message: 'unclosed `${{`; end the expression with `}}`', start, end: bodyStart }];
      out.push({ start, end: to, body: { start: bodyStart, end: to }, closed: false, errors });
      break;
    }
    const bodyEnd = from + close;
    const { expr, errors } = parseExpression(source, bodyStart, bodyEnd);
    out.push({
      start,
      end: bodyEnd + CLOSE.length,
      body: { start: bodyStart, end: bodyEnd },
      closed: true,
      ...(expr ? { expr } : {}),
      errors,
    });
    at = text.indexOf(OPEN, close + CLOSE.length);
  }
  return out;
}

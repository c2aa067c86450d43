import { invalid } from '../repository/errors';
import { tokenize, type Token } from './lexer';

export type EntityKind = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

export interface Identifier {
  kind: EntityKind;
  key: string;
  /** Whether the clause named the entity (`attributes.status`) or gave a bare key (`status`). */
  explicit: boolean;
}

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';
export type Value = string | number | string[] | null;

export interface Comparison {
  ident: Identifier;
  op: Op;
  value: Value;
  /** The comparison as written, for error messages. */
  text: string;
}

export interface OrderTerm {
  ident: Identifier;
  ascending: boolean;
  text: string;
}

// The entity prefixes MLflow accepts, with its aliases.
const ENTITIES: Record<string, EntityKind> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

class Parser {
  private i = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly what: string,
  ) {}

  fail(message: string, token?: Token): never {
    const at = token ? ` at position ${token.at + 1}` : '';
    throw invalid(`Invalid ${this.what} '${this.source}': ${message}${at}`);
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  next(): Token | undefined {
    return this.tokens[this.i++];
  }

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  isWord(token: Token | undefined, ...words: string[]): boolean {
    return token?.type === 'word' && words.includes(token.text.toUpperCase());
  }

  identifier(): Identifier {
    const first = this.next();
    if (!first) this.fail('expected a key such as metrics.auc, params.name or attributes.status');
    if (first.type === 'quoted' || first.type === 'string') return { kind: 'attribute', key: first.text, explicit: false };
    if (first.type !== 'word') this.fail(`expected a key, found '${first.text}'`, first);
    const entity = ENTITIES[first.text.toLowerCase()];
    if (this.peek()?.type !== 'dot') return { kind: 'attribute', key: first.text, explicit: false };
    if (!entity) this.fail(`unknown entity type '${first.text}' (expected metrics, params, tags, attributes or datasets)`, first);
    this.next();
    const keyStart = this.next();
    if (!keyStart) this.fail(`expected a key after '${first.text}.'`);
    if (keyStart.type === 'quoted' || keyStart.type === 'string') return { kind: entity, key: keyStart.text, explicit: true };
    if (keyStart.type !== 'word' && keyStart.type !== 'number') this.fail(`expected a key after '${first.text}.'`, keyStart);
    // An unquoted key runs on through dots: tags.mlflow.runName is the tag 'mlflow.runName'.
    let key = keyStart.text;
    while (
      this.peek()?.type === 'dot' &&
      ['word', 'number'].includes(this.peek(1)?.type ?? '') &&
      this.peek(1)!.at === this.peek()!.at + 1
    ) {
      this.next();
      key += `.${this.next()!.text}`;
    }
    return { kind: entity, key, explicit: true };
  }

  value(): string | number {
    const token = this.next();
    if (!token) this.fail('expected a value');
    if (token.type === 'string') return token.text;
    if (token.type === 'number') return Number(token.text);
    if (token.type === 'quoted') this.fail(`values are quoted with ' or ", not backticks`, token);
    this.fail(`expected a quoted string or a number, found '${token.text}' (string values need quotes)`, token);
  }

  list(): string[] {
    const open = this.next();
    if (open?.type !== 'lparen') this.fail("expected '(' after IN", open);
    const items: string[] = [];
    for (;;) {
      const token = this.next();
      if (token?.type !== 'string') this.fail('IN lists hold quoted strings', token);
      items.push(token.text);
      const sep = this.next();
      if (sep?.type === 'rparen') break;
      if (sep?.type !== 'comma') this.fail("expected ',' or ')' in the IN list", sep);
    }
    return items;
  }

  comparison(): Comparison {
    const start = this.peek();
    const ident = this.identifier();
    const token = this.next();
    let op: Op;
    let value: Value;
    if (token?.type === 'op') {
      op = token.text as Op;
      value = this.value();
    } else if (this.isWord(token, 'LIKE', 'ILIKE')) {
      op = token!.text.toUpperCase() as Op;
      value = this.value();
    } else if (this.isWord(token, 'IN')) {
      op = 'IN';
      value = this.list();
    } else if (this.isWord(token, 'NOT') && this.isWord(this.peek(), 'IN')) {
      this.next();
      op = 'NOT IN';
      value = this.list();
    } else if (this.isWord(token, 'IS')) {
      const not = this.isWord(this.peek(), 'NOT');
      if (not) this.next();
      if (!this.isWord(this.next(), 'NULL')) this.fail('expected NULL after IS', token);
      op = not ? 'IS NOT NULL' : 'IS NULL';
      value = null;
    } else {
      this.fail(
        token
          ? `expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL), found '${token.text}'`
          : 'expected a comparison operator',
        token,
      );
    }
    const end = this.tokens[this.i - 1];
    return { ident, op, value, text: this.source.slice(start?.at ?? 0, end?.end).trim() };
  }
}

/** Parses `cond AND cond ...`; MLflow has no OR and no parentheses outside IN lists. */
export function parseFilter(filter: string | undefined): Comparison[] {
  if (!filter || !filter.trim()) return [];
  const parser = new Parser(filter, tokenize(filter, 'filter'), 'filter');
  const comparisons: Comparison[] = [parser.comparison()];
  while (!parser.done()) {
    const token = parser.next();
    if (parser.isWord(token, 'OR')) parser.fail('OR is not supported; join conditions with AND', token);
    if (!parser.isWord(token, 'AND')) parser.fail(`expected AND between conditions, found '${token?.text}'`, token);
    if (parser.done()) parser.fail('expected a condition after AND');
    comparisons.push(parser.comparison());
  }
  return comparisons;
}

/** Parses one order_by entry: `key [ASC|DESC]`. */
export function parseOrderBy(clause: string): OrderTerm {
  const parser = new Parser(clause, tokenize(clause, 'order_by clause'), 'order_by clause');
  if (parser.done()) parser.fail('expected a key');
  const ident = parser.identifier();
  let ascending = true;
  const direction = parser.next();
  if (direction) {
    if (!parser.isWord(direction, 'ASC', 'DESC')) parser.fail(`expected ASC or DESC, found '${direction.text}'`, direction);
    ascending = direction.text.toUpperCase() === 'ASC';
  }
  if (!parser.done()) parser.fail(`unexpected '${parser.peek()!.text}' after the order`, parser.peek());
  return { ident, ascending, text: clause.trim() };
}

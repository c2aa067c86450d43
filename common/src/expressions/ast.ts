/**
 * The `${{ }}` language (docs/formats.md, section Expressions). Every node carries
 * absolute document offsets so that a diagnostic can cover exactly one
 * segment, e.g. `nope` in `steps.nope.outputs.x`.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One dotted name of a reference: `steps`, `train`, `outputs`, `model`. */
export interface Segment extends Span {
  readonly name: string;
}

export interface ReferenceExpr extends Span {
  readonly type: 'reference';
  readonly segments: readonly Segment[];
}

export interface LiteralExpr extends Span {
  readonly type: 'literal';
  readonly value: string | number | boolean;
}

export interface UnaryExpr extends Span {
  readonly type: 'unary';
  readonly operator: '!';
  readonly operand: Expr;
}

export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export interface BinaryExpr extends Span {
  readonly type: 'binary';
  readonly operator: BinaryOperator;
  /** Where the operator itself sits. */
  readonly operatorSpan: Span;
  readonly left: Expr;
  readonly right: Expr;
}

export interface GroupExpr extends Span {
  readonly type: 'group';
  readonly inner: Expr;
}

export type Expr = ReferenceExpr | LiteralExpr | UnaryExpr | BinaryExpr | GroupExpr;

export interface ExpressionError extends Span {
  readonly message: string;
}

/** One `${{ ... }}` found in a string: where it sits and what it parsed to. */
export interface Template extends Span {
  /** The text between `${{` and `}}` (or to the end when unclosed). */
  readonly body: Span;
  readonly closed: boolean;
  readonly expr?: Expr;
  readonly errors: readonly ExpressionError[];
}

/** Calls `visit` on every reference below `expr`, left to right. */
export function forEachReference(expr: Expr | undefined, visit: (ref: ReferenceExpr) => void): void {
  if (!expr) return;
  switch (expr.type) {
    case 'reference':
      visit(expr);
      return;
    case 'literal':
      return;
    case 'unary':
      forEachReference(expr.operand, visit);
      return;
    case 'group':
      forEachReference(expr.inner, visit);
      return;
    case 'binary':
      forEachReference(expr.left, visit);
      forEachReference(expr.right, visit);
      return;
  }
}

/** True when the expression uses an operator anywhere (allowed in conditions only). */
export function firstOperator(expr: Expr | undefined): Span | undefined {
  if (!expr) return undefined;
  switch (expr.type) {
    case 'reference':
    case 'literal':
      return undefined;
    case 'unary':
      return { start: expr.start, end: expr.start + 1 };
    case 'group':
      return firstOperator(expr.inner);
    case 'binary':
      return expr.operatorSpan;
  }
}

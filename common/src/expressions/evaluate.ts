import type { Expr, ReferenceExpr } from './ast';
import { findTemplates } from './parser';

export type Value = string | number | boolean;

/** Answers one reference (`params.x`, `steps.a.outputs.b`, ...) by its dotted names; throws EvaluationError when it names nothing. */
export type Resolver = (names: readonly string[]) => Value;

export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
}

function compare(operator: string, left: Value, right: Value): boolean {
  // Numbers compare as numbers even when one side came from a string param (`'0.9'`), as in GitHub Actions.
  if (typeof left !== typeof right) {
    const l = Number(left);
    const r = Number(right);
    if (
      typeof left !== 'boolean' &&
      typeof right !== 'boolean' &&
      !Number.isNaN(l) &&
      !Number.isNaN(r) &&
      String(left).trim() !== '' &&
      String(right).trim() !== ''
    ) {
      left = l;
      right = r;
    } else if (operator === '==' || operator === '!=') {
      return operator === '!=';
    } else {
      throw new EvaluationError(`cannot compare ${JSON.stringify(left)} ${operator} ${JSON.stringify(right)}`);
    }
  }
  switch (operator) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    default:
      return left >= right;
  }
}

function truthy(value: Value): boolean {
  return value !== false && value !== 0 && value !== '' && value !== 'false';
}

/** The value of a parsed `${{ }}` body. `&&` and `||` short-circuit, so `a && metrics.x` never asks for x when a is false. */
export function evaluate(expr: Expr, resolve: Resolver): Value {
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'reference':
      return resolve(namesOf(expr));
    case 'group':
      return evaluate(expr.inner, resolve);
    case 'unary':
      return !truthy(evaluate(expr.operand, resolve));
    case 'binary': {
      if (expr.operator === '&&') return truthy(evaluate(expr.left, resolve)) && truthy(evaluate(expr.right, resolve));
      if (expr.operator === '||') return truthy(evaluate(expr.left, resolve)) || truthy(evaluate(expr.right, resolve));
      return compare(expr.operator, evaluate(expr.left, resolve), evaluate(expr.right, resolve));
    }
  }
}

export function namesOf(ref: ReferenceExpr): string[] {
  return ref.segments.map((s) => s.name);
}

/** Evaluates a condition such as `register.when`; a value that is not a boolean counts by its truthiness. */
export function evaluateCondition(text: string, resolve: Resolver): boolean {
  const templates = findTemplates(text, 0, text.length);
  if (templates.length === 0) return truthy(text.trim());
  const template = templates[0]!;
  if (!template.expr || template.errors.length > 0) throw new EvaluationError(template.errors[0]?.message ?? 'not an expression');
  return truthy(evaluate(template.expr, resolve));
}

/**
 * `text` with every `${{ }}` replaced by its value, passed through `quote`
 * (shell quoting for a `run` command, identity elsewhere).
 */
export function substitute(text: string, resolve: Resolver, quote: (value: string) => string = (v) => v): string {
  const templates = findTemplates(text, 0, text.length);
  if (templates.length === 0) return text;
  let out = '';
  let at = 0;
  for (const template of templates) {
    if (!template.expr || template.errors.length > 0) throw new EvaluationError(template.errors[0]?.message ?? 'not an expression');
    out += text.slice(at, template.start) + quote(String(evaluate(template.expr, resolve)));
    at = template.end;
  }
  return out + text.slice(at);
}

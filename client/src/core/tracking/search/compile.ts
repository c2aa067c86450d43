import type { SqlValue } from 'sql.js';
import { invalid } from '../repository/errors';
import type { Comparison, Identifier, Op } from './parser';

/** A piece of SQL and its bound values: user text only ever travels in `params`. */
export interface Fragment {
  sql: string;
  params: SqlValue[];
}

export const STRING_OPS: readonly Op[] = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
export const NUMBER_OPS: readonly Op[] = ['=', '!=', '<', '<=', '>', '>='];

/** A searchable column: its SQL expression and which comparisons MLflow allows on it. */
export interface Field {
  type: 'string' | 'number';
  expr: string;
  ops: readonly Op[];
  /** Values bound by `expr` itself (a computed column). */
  exprParams?: SqlValue[];
}

export function describe(ident: Identifier): string {
  const prefix = { metric: 'metrics', param: 'params', tag: 'tags', attribute: 'attributes', dataset: 'datasets' }[ident.kind];
  return ident.explicit ? `${prefix}.${ident.key}` : ident.key;
}

export function fail(c: { text: string }, message: string): never {
  throw invalid(`Invalid clause '${c.text}': ${message}`);
}

/**
 * MLflow's LIKE is case-sensitive; SQLite's is not, so LIKE becomes GLOB (`%` -> `*`, `_` -> `?`,
 * GLOB's own wildcards bracketed to stay literal). ILIKE stays SQLite's LIKE.
 */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

/** `expr <op> value` for one comparison, after checking the operator and value fit the field. */
export function compare(field: Field, c: Comparison): Fragment {
  const { sql, params } = compareValue(field, c);
  return { sql, params: [...(field.exprParams ?? []), ...params] };
}

function compareValue(field: Field, c: Comparison): Fragment {
  if (!field.ops.includes(c.op)) {
    fail(c, `'${c.op}' is not supported for ${describe(c.ident)}; use one of ${field.ops.join(', ')}`);
  }
  switch (c.op) {
    case 'IS NULL':
    case 'IS NOT NULL':
      return { sql: `${field.expr} ${c.op}`, params: [] };
    case 'IN':
    case 'NOT IN': {
      const list = c.value as string[];
      return { sql: `${field.expr} ${c.op} (${list.map(() => '?').join(', ')})`, params: list };
    }
    default:
      break;
  }
  if (field.type === 'number') {
    if (typeof c.value !== 'number' || !Number.isFinite(c.value))
      fail(c, `${describe(c.ident)} compares with a number, got ${JSON.stringify(c.value)}`);
    return { sql: `${field.expr} ${c.op} ?`, params: [c.value] };
  }
  if (typeof c.value !== 'string')
    fail(c, `${describe(c.ident)} compares with a quoted string, got ${String(c.value)} (quote it: '${String(c.value)}')`);
  if (c.op === 'LIKE') return { sql: `${field.expr} GLOB ?`, params: [likeToGlob(c.value)] };
  if (c.op === 'ILIKE') return { sql: `${field.expr} LIKE ?`, params: [c.value] };
  return { sql: `${field.expr} ${c.op} ?`, params: [c.value] };
}

export function and(fragments: Fragment[]): Fragment {
  if (fragments.length === 0) return { sql: '1', params: [] };
  return { sql: fragments.map((f) => `(${f.sql})`).join(' AND '), params: fragments.flatMap((f) => f.params) };
}

/** An ORDER BY term that sorts missing values last in both directions, as MLflow's stores do. */
export function orderTerm(expr: string, ascending: boolean): string {
  return `(${expr} IS NULL), ${expr} ${ascending ? 'ASC' : 'DESC'}`;
}

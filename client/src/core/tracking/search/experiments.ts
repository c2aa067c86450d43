import type { ViewType } from '../repository/types';
import { and, compare, describe, fail, NUMBER_OPS, orderTerm, type Fragment } from './compile';
import { parseFilter, parseOrderBy, type Comparison, type Op } from './parser';

const NAME_OPS: readonly Op[] = ['=', '!=', 'LIKE', 'ILIKE'];
const ORDER: Record<string, string> = {
  name: 'x.name',
  experiment_id: 'x.experiment_id',
  creation_time: 'x.creation_time',
  last_update_time: 'x.last_update_time',
};

function condition(c: Comparison): Fragment {
  if (c.ident.kind === 'tag') {
    const test = compare({ type: 'string', expr: 't.value', ops: NAME_OPS }, c);
    return {
      sql: `EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = x.experiment_id AND t.key = ? AND ${test.sql})`,
      params: [c.ident.key, ...test.params],
    };
  }
  if (c.ident.kind !== 'attribute')
    fail(c, `experiments are searched by name, creation_time, last_update_time and tags, not ${describe(c.ident)}`);
  switch (c.ident.key) {
    case 'name':
      return compare({ type: 'string', expr: 'x.name', ops: NAME_OPS }, c);
    case 'creation_time':
    case 'last_update_time':
      return compare({ type: 'number', expr: `x.${c.ident.key}`, ops: NUMBER_OPS }, c);
    default:
      return fail(c, `unknown attribute '${c.ident.key}' (expected name, creation_time or last_update_time)`);
  }
}

export interface ExperimentQuery {
  filter?: string;
  orderBy?: string[];
  viewType: ViewType;
  limit: number;
  offset: number;
}

/** SQL selecting matching experiment ids; MLflow's default order is creation_time DESC, then id. */
export function compileExperimentQuery(q: ExperimentQuery): Fragment {
  const where = parseFilter(q.filter).map(condition);
  if (q.viewType !== 'ALL') where.push({ sql: 'x.lifecycle_stage = ?', params: [q.viewType === 'ACTIVE_ONLY' ? 'active' : 'deleted'] });
  const order = (q.orderBy ?? []).map((clause) => {
    const term = parseOrderBy(clause);
    const column = term.ident.kind === 'attribute' ? ORDER[term.ident.key] : undefined;
    if (!column) fail(term, `cannot order experiments by '${describe(term.ident)}' (expected ${Object.keys(ORDER).join(', ')})`);
    return { column, sql: orderTerm(column, term.ascending) };
  });
  if (order.length === 0) order.push({ column: 'x.creation_time', sql: orderTerm('x.creation_time', false) });
  if (!order.some((o) => o.column === 'x.experiment_id')) order.push({ column: 'x.experiment_id', sql: 'x.experiment_id ASC' });
  const filter = and(where);
  return {
    sql: `SELECT x.experiment_id FROM experiments x WHERE ${filter.sql} ORDER BY ${order.map((o) => o.sql).join(', ')} LIMIT ? OFFSET ?`,
    params: [...filter.params, q.limit, q.offset],
  };
}

import type { SqlValue } from 'sql.js';
import type { ViewType } from '../repository/types';
import { and, compare, describe, fail, NUMBER_OPS, orderTerm, STRING_OPS, type Field, type Fragment } from './compile';
import { parseFilter, parseOrderBy, type Comparison, type Op } from './parser';

const KEY_OPS: readonly Op[] = [...STRING_OPS, 'IS NULL', 'IS NOT NULL'];
const METRIC_OPS: readonly Op[] = [...NUMBER_OPS, 'IS NULL', 'IS NOT NULL'];

/** The run attributes MLflow lets a filter name, with their aliases. */
function attribute(key: string, artifactRootUri: string): Field | undefined {
  switch (key) {
    case 'run_id':
      return { type: 'string', expr: 'r.run_uuid', ops: STRING_OPS };
    case 'run_name':
    case 'run name':
      return { type: 'string', expr: 'r.name', ops: STRING_OPS };
    case 'status':
      return { type: 'string', expr: 'r.status', ops: STRING_OPS };
    case 'user_id':
      return { type: 'string', expr: 'r.user_id', ops: STRING_OPS };
    case 'artifact_uri':
      return {
        type: 'string',
        expr: "COALESCE(r.artifact_uri, COALESCE(e.artifact_location, ? || '/' || r.experiment_id) || '/' || r.run_uuid || '/artifacts')",
        exprParams: [artifactRootUri],
        ops: STRING_OPS,
      };
    case 'start_time':
    case 'created':
    case 'Created':
      return { type: 'number', expr: 'r.start_time', ops: NUMBER_OPS };
    case 'end_time':
      return { type: 'number', expr: 'r.end_time', ops: NUMBER_OPS };
    default:
      return undefined;
  }
}

const ATTRIBUTES = 'run_id, run_name, status, user_id, artifact_uri, start_time, end_time, created';
const ORDER_ATTRIBUTES: Record<string, string> = {
  run_id: 'r.run_uuid',
  run_name: 'r.name',
  'run name': 'r.name',
  status: 'r.status',
  user_id: 'r.user_id',
  start_time: 'r.start_time',
  created: 'r.start_time',
  Created: 'r.start_time',
  end_time: 'r.end_time',
  experiment_id: 'r.experiment_id',
};

function keyed(table: 'params' | 'tags', c: Comparison): Fragment {
  const exists = `SELECT 1 FROM ${table} k WHERE k.run_uuid = r.run_uuid AND k.key = ?`;
  if (c.op === 'IS NULL') return { sql: `NOT EXISTS (${exists})`, params: [c.ident.key] };
  if (c.op === 'IS NOT NULL') return { sql: `EXISTS (${exists})`, params: [c.ident.key] };
  const test = compare({ type: 'string', expr: 'k.value', ops: KEY_OPS }, c);
  return { sql: `EXISTS (${exists} AND ${test.sql})`, params: [c.ident.key, ...test.params] };
}

function metric(c: Comparison): Fragment {
  const exists = 'SELECT 1 FROM latest_metrics m WHERE m.run = r.id AND m.key = ?';
  if (c.op === 'IS NULL') return { sql: `NOT EXISTS (${exists})`, params: [c.ident.key] };
  if (c.op === 'IS NOT NULL') return { sql: `EXISTS (${exists})`, params: [c.ident.key] };
  const test = compare({ type: 'number', expr: 'm.value', ops: METRIC_OPS }, c);
  // A NaN compares false with everything, as in IEEE arithmetic.
  return { sql: `EXISTS (${exists} AND m.is_nan = 0 AND ${test.sql})`, params: [c.ident.key, ...test.params] };
}

function dataset(c: Comparison): Fragment {
  const base = 'SELECT 1 FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid';
  switch (c.ident.key) {
    case 'name':
    case 'digest': {
      const test = compare({ type: 'string', expr: `d.${c.ident.key}`, ops: STRING_OPS }, c);
      return { sql: `EXISTS (${base} WHERE i.run_uuid = r.run_uuid AND ${test.sql})`, params: test.params };
    }
    case 'context': {
      const test = compare({ type: 'string', expr: 't.value', ops: STRING_OPS }, c);
      return {
        sql: `EXISTS (SELECT 1 FROM run_input_tags t WHERE t.run_uuid = r.run_uuid AND t.key = 'mlflow.data.context' AND ${test.sql})`,
        params: test.params,
      };
    }
    default:
      return fail(c, `unknown dataset key '${c.ident.key}' (expected name, digest or context)`);
  }
}

function condition(c: Comparison, artifactRootUri: string): Fragment {
  switch (c.ident.kind) {
    case 'metric':
      return metric(c);
    case 'param':
      return keyed('params', c);
    case 'tag':
      return keyed('tags', c);
    case 'dataset':
      return dataset(c);
    case 'attribute': {
      const field = attribute(c.ident.key, artifactRootUri);
      if (!field) fail(c, `unknown attribute '${c.ident.key}' (expected one of ${ATTRIBUTES})`);
      return compare(field, c);
    }
  }
}

export interface RunQuery {
  experimentIds: number[];
  filter?: string;
  orderBy?: string[];
  viewType: ViewType;
  /** file:// URI of the workspace artifact root, for `attributes.artifact_uri`. */
  artifactRootUri: string;
  limit: number;
  offset: number;
}

/** SQL selecting the matching runs' ids in MLflow's order (ties: start_time DESC, run_id). */
export function compileRunQuery(q: RunQuery): Fragment {
  const where: Fragment[] = [
    { sql: `r.experiment_id IN (${q.experimentIds.map(() => '?').join(', ') || 'NULL'})`, params: q.experimentIds },
  ];
  if (q.viewType !== 'ALL') where.push({ sql: 'r.lifecycle_stage = ?', params: [q.viewType === 'ACTIVE_ONLY' ? 'active' : 'deleted'] });
  for (const c of parseFilter(q.filter)) where.push(condition(c, q.artifactRootUri));

  const joins: string[] = [];
  const joinParams: SqlValue[] = [];
  const order: string[] = [];
  let ordersByStart = false;
  (q.orderBy ?? []).forEach((clause, n) => {
    const term = parseOrderBy(clause);
    const alias = `o${n}`;
    switch (term.ident.kind) {
      case 'metric':
        joins.push(`LEFT JOIN latest_metrics ${alias} ON ${alias}.run = r.id AND ${alias}.key = ?`);
        joinParams.push(term.ident.key);
        // Values first, then NaN, then runs without the metric, whichever the direction.
        order.push(
          `CASE WHEN ${alias}.run IS NULL THEN 2 WHEN ${alias}.is_nan = 1 THEN 1 ELSE 0 END`,
          `${alias}.value ${term.ascending ? 'ASC' : 'DESC'}`,
        );
        break;
      case 'param':
      case 'tag': {
        const table = term.ident.kind === 'param' ? 'params' : 'tags';
        joins.push(`LEFT JOIN ${table} ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ?`);
        joinParams.push(term.ident.key);
        order.push(orderTerm(`${alias}.value`, term.ascending));
        break;
      }
      case 'attribute': {
        const column = ORDER_ATTRIBUTES[term.ident.key];
        if (!column) fail(term, `cannot order by '${describe(term.ident)}' (attributes: ${Object.keys(ORDER_ATTRIBUTES).join(', ')})`);
        if (column === 'r.start_time') ordersByStart = true;
        order.push(orderTerm(column, term.ascending));
        break;
      }
      case 'dataset':
        fail(term, 'runs cannot be ordered by datasets');
    }
  });
  if (!ordersByStart) order.push(orderTerm('r.start_time', false));
  order.push('r.run_uuid ASC');

  const filter = and(where);
  return {
    sql: `SELECT r.run_uuid FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id ${joins.join(' ')} WHERE ${filter.sql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
    params: [...joinParams, ...filter.params, q.limit, q.offset],
  };
}

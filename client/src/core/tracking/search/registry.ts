import { and, compare, describe, fail, NUMBER_OPS, orderTerm, type Fragment } from './compile';
import { parseFilter, parseOrderBy, type Comparison, type Op } from './parser';

const NAME_OPS: readonly Op[] = ['=', '!=', 'LIKE', 'ILIKE'];
const ID_OPS: readonly Op[] = ['=', '!=', 'IN', 'NOT IN'];

function tagCondition(table: string, owner: string, c: Comparison): Fragment {
  const test = compare({ type: 'string', expr: 't.value', ops: NAME_OPS }, c);
  return { sql: `EXISTS (SELECT 1 FROM ${table} t WHERE ${owner} AND t.key = ? AND ${test.sql})`, params: [c.ident.key, ...test.params] };
}

function modelCondition(c: Comparison): Fragment {
  if (c.ident.kind === 'tag') return tagCondition('registered_model_tags', 't.name = m.name', c);
  if (c.ident.kind === 'attribute' && c.ident.key === 'name') return compare({ type: 'string', expr: 'm.name', ops: NAME_OPS }, c);
  return fail(c, `registered models are searched by name and tags, not ${describe(c.ident)}`);
}

function versionCondition(c: Comparison): Fragment {
  if (c.ident.kind === 'tag') return tagCondition('model_version_tags', 't.name = v.name AND t.version = v.version', c);
  if (c.ident.kind !== 'attribute')
    fail(c, `model versions are searched by name, version_number, run_id, source_path and tags, not ${describe(c.ident)}`);
  switch (c.ident.key) {
    case 'name':
      return compare({ type: 'string', expr: 'v.name', ops: NAME_OPS }, c);
    case 'run_id':
      return compare({ type: 'string', expr: 'v.run_id', ops: ID_OPS }, c);
    case 'source_path':
      return compare({ type: 'string', expr: 'v.source', ops: NAME_OPS }, c);
    case 'version_number':
      return compare({ type: 'number', expr: 'v.version', ops: NUMBER_OPS }, c);
    default:
      return fail(c, `unknown attribute '${c.ident.key}' (expected name, version_number, run_id or source_path)`);
  }
}

function orderBy(clauses: string[] | undefined, columns: Record<string, string>, what: string): { column: string; sql: string }[] {
  return (clauses ?? []).map((clause) => {
    const term = parseOrderBy(clause);
    const column = term.ident.kind === 'attribute' ? columns[term.ident.key] : undefined;
    if (!column) fail(term, `cannot order ${what} by '${describe(term.ident)}' (expected ${Object.keys(columns).join(', ')})`);
    return { column, sql: orderTerm(column, term.ascending) };
  });
}

export interface RegistryQuery {
  filter?: string;
  orderBy?: string[];
  limit: number;
  offset: number;
}

/** Registered model names in order; ties by name, as MLflow. */
export function compileModelQuery(q: RegistryQuery): Fragment {
  const filter = and(parseFilter(q.filter).map(modelCondition));
  const order = orderBy(
    q.orderBy,
    {
      name: 'm.name',
      timestamp: 'm.last_updated_time',
      last_updated_timestamp: 'm.last_updated_time',
      creation_timestamp: 'm.creation_time',
    },
    'registered models',
  );
  if (!order.some((o) => o.column === 'm.name')) order.push({ column: 'm.name', sql: 'm.name ASC' });
  return {
    sql: `SELECT m.name FROM registered_models m WHERE ${filter.sql} ORDER BY ${order.map((o) => o.sql).join(', ')} LIMIT ? OFFSET ?`,
    params: [...filter.params, q.limit, q.offset],
  };
}

/** Model versions (not deleted) in order; ties by last update DESC, name ASC, version DESC. */
export function compileVersionQuery(q: RegistryQuery): Fragment {
  const filter = and([{ sql: "v.current_stage != 'Deleted_Internal'", params: [] }, ...parseFilter(q.filter).map(versionCondition)]);
  const order = orderBy(
    q.orderBy,
    {
      name: 'v.name',
      version_number: 'v.version',
      creation_timestamp: 'v.creation_time',
      last_updated_timestamp: 'v.last_updated_time',
      timestamp: 'v.last_updated_time',
      current_stage: 'v.current_stage',
    },
    'model versions',
  ).map((o) => o.sql);
  order.push('v.last_updated_time DESC', 'v.name ASC', 'v.version DESC');
  return {
    sql: `SELECT v.name, v.version FROM model_versions v WHERE ${filter.sql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
    params: [...filter.params, q.limit, q.offset],
  };
}

import type { Database, SqlValue, Statement } from 'sql.js';

export type Row = Record<string, SqlValue>;
export type Params = SqlValue[];

/**
 * Prepared statements by SQL text. Preparing costs more than running for the short statements the
 * store uses, and logBatch runs the same few thousands of times a second.
 */
export class Sql {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  private prepare(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, params: Params = []): void {
    this.prepare(sql).run(params);
  }

  /** Runs a write and returns how many rows it changed. */
  change(sql: string, params: Params = []): number {
    this.prepare(sql).run(params);
    return this.db.getRowsModified();
  }

  all(sql: string, params: Params = []): Row[] {
    const statement = this.prepare(sql);
    const rows: Row[] = [];
    try {
      statement.bind(params);
      while (statement.step()) rows.push(statement.getAsObject());
    } finally {
      statement.reset();
    }
    return rows;
  }

  get(sql: string, params: Params = []): Row | undefined {
    const statement = this.prepare(sql);
    try {
      statement.bind(params);
      return statement.step() ? statement.getAsObject() : undefined;
    } finally {
      statement.reset();
    }
  }

  /** Runs ad-hoc SQL (search queries, whose text depends on the filter) without caching it. */
  query(sql: string, params: Params): Row[] {
    const statement = this.db.prepare(sql);
    const rows: Row[] = [];
    try {
      statement.bind(params);
      while (statement.step()) rows.push(statement.getAsObject());
    } finally {
      statement.free();
    }
    return rows;
  }
}

export const str = (v: SqlValue | undefined): string => (v === null || v === undefined ? '' : String(v));
export const optNum = (v: SqlValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
export const optStr = (v: SqlValue | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v));

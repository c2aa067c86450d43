import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';

// Shared by the durability tests (disk full, chaos) and the chaos benchmark: a REST call that returns
// whatever the endpoint answered, and SQLite's own verdict on a saved image.

export interface RestAnswer {
  status: number;
  json: Record<string, unknown>;
}

/** POSTs to `/api/2.0/mlflow/<route>`; never throws on an HTTP error status (a dropped connection rejects). */
export async function restPost(url: string, token: string, route: string, body: unknown): Promise<RestAnswer> {
  const response = await fetch(`${url}/api/2.0/mlflow/${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** `PRAGMA integrity_check` of the image in `dbFile`: "ok", or what SQLite found. */
export async function integrityCheck(dbFile: string): Promise<string> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(dbFile));
  try {
    return (db.exec('PRAGMA integrity_check')[0]?.values ?? []).map((row) => String(row[0])).join('; ');
  } finally {
    db.close();
  }
}

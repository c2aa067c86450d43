import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { applySchema, TrackingRepository, type StoreChange, type TrackingApi } from '../../client/src/core/tracking/repository';
import { startRestServer, type RestServer } from '../../client/src/core/tracking/rest/server';

/** A repository over an in-memory database, with a real clock and random ids. */
export async function memoryRepository(options: { artifactRoot?: string; now?: () => number } = {}) {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  applySchema(db);
  const changes: StoreChange[] = [];
  const artifactRoot = options.artifactRoot ?? path.join(tmpdir(), 'mlops-test-artifacts');
  const repo = new TrackingRepository(
    db,
    { now: options.now ?? (() => Date.now()), newId: () => randomBytes(16).toString('hex'), emit: (c) => changes.push(c) },
    { artifactRoot },
  );
  return { db, repo, changes, artifactRoot };
}

/**
 * The repository behind the async interface the worker-backed store offers: each call runs in a
 * transaction (rolled back on error, as the engine does) and answers on a later tick.
 */
export function asApi(db: { exec(sql: string): unknown }, repo: TrackingRepository): TrackingApi {
  return new Proxy({} as TrackingApi, {
    get: (_target, name: string) => async (req: unknown) => {
      await Promise.resolve();
      db.exec('BEGIN');
      try {
        const result = (repo as unknown as Record<string, (r: unknown) => unknown>)[name]!.call(repo, req);
        db.exec('COMMIT');
        return structuredClone(result);
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
  });
}

/** A REST server on an ephemeral port over a fresh in-memory store and a temporary artifact root. */
export async function startTestServer(options: { token?: string; maxBodyBytes?: number } = {}) {
  const artifactRoot = mkdtempSync(path.join(tmpdir(), 'mlops-rest-'));
  const { db, repo, changes } = await memoryRepository({ artifactRoot });
  /** What the server logged: a line per request, and the problems it warns about. */
  const logged: string[] = [];
  const server: RestServer = await startRestServer({
    api: asApi(db, repo),
    artifactRoot,
    log: (line) => logged.push(line),
    token: options.token,
    maxBodyBytes: options.maxBodyBytes,
  });
  return {
    ...server,
    db,
    repo,
    changes,
    artifactRoot,
    logged,
    async stop() {
      await server.close();
      rmSync(artifactRoot, { recursive: true, force: true });
    },
  };
}

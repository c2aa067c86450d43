// better-sqlite3 (native, WAL) is the anchor the store's ingest is measured against. It ships no types
// and the project has no @types for it: these are the few calls the benchmarks use.
export interface NativeDb {
  pragma(source: string): unknown;
  exec(source: string): void;
  prepare(source: string): { run(...params: unknown[]): unknown };
  transaction(fn: () => void): () => void;
  close(): void;
}

/** Opens (or creates) a database file with better-sqlite3. */
export function openNativeDb(file: string): NativeDb {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as new (file: string) => NativeDb;
  return new Database(file);
}

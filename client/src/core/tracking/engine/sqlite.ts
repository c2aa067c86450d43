import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';

// What this file uses of WebAssembly, whose types come with the DOM library the client does not load.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      compile(bytes: Uint8Array): Promise<object>;
      Instance: new (module: object, imports: object) => WasmInstance;
      Memory: abstract new (...args: never[]) => WasmMemory;
    };
  }
).WebAssembly;

let loaded: Promise<SqlJsStatic> | undefined;
/** sql.js's wasm memory once loaded: its size is the heap the page cache, statements and queries use. */
let wasmMemory: WasmMemory | undefined;

/**
 * sql.js with its wasm read from disk, never fetched: next to the running bundle (the build copies it to
 * client/out), or from node_modules when running from source. Instantiated here so its memory can be measured.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  const locateFile = (file: string) => {
    const beside = path.join(__dirname, file);
    return existsSync(beside) ? beside : require.resolve(`sql.js/dist/${file}`);
  };
  loaded ??= wasm.compile(readFileSync(locateFile('sql-wasm.wasm'))).then((module) =>
    initSqlJs({
      locateFile,
      instantiateWasm(imports: object, done: (instance: WasmInstance) => void) {
        const instance = new wasm.Instance(module, imports);
        wasmMemory = Object.values(instance.exports).find((e): e is WasmMemory => e instanceof wasm.Memory);
        done(instance);
        return {};
      },
    } as Parameters<typeof initSqlJs>[0]),
  );
  return loaded;
}

/** Bytes of sql.js's wasm heap on this thread (it only grows; wasm32 caps it at 2 GiB here), or undefined before loading. */
export function sqlJsHeapBytes(): number | undefined {
  return wasmMemory?.buffer.byteLength;
}

/** Settings for a database that lives in wasm memory: its own rollback journal in memory, no syncs. */
export function tuneConnection(db: Database): void {
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY');
}

/**
 * A saved image, whole: also past the 2 GiB that readFileSync refuses (ERR_FS_FILE_TOO_LARGE), up to the
 * 4 GiB a typed array (and sql.js's in-memory file) can hold, so a store that grew past 2 GiB still opens.
 */
export function readImage(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(fd, bytes, offset, Math.min(size - offset, 1 << 30), offset);
      if (read === 0) break;
      offset += read;
    }
    return offset === size ? bytes : bytes.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}

const MAGIC = 'SQLite format 3\u0000';

/**
 * Opens a saved image, or throws saying why it is unusable. An empty file counts as corrupt: the engine
 * never writes one, and SQLite would happily treat it as an empty database. `verified` skips the page
 * scan for an image known to be intact (see imageChecksum.ts).
 */
export function openImage(SQL: SqlJsStatic, bytes: Uint8Array, verified: boolean): Database {
  if (bytes.length < 100 || Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('latin1') !== MAGIC) {
    throw new Error(bytes.length === 0 ? 'the file is empty' : 'the file is not an SQLite database');
  }
  const db = new SQL.Database(bytes);
  if (verified) return db;
  try {
    const rows = db.exec('PRAGMA quick_check')[0]?.values ?? [];
    const problems = rows.map((row) => String(row[0])).filter((message) => message !== 'ok');
    if (problems.length > 0) throw new Error(`integrity check failed: ${problems.slice(0, 3).join('; ')}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

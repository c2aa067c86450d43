import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import type { DataColumns } from '../workspace/types';

/** How much of a CSV file is read: the header and the rows types are guessed from. */
const CSV_HEAD_BYTES = 64 * 1024;
/** Data rows after the header that CSV column types are inferred from. */
export const CSV_SAMPLE_ROWS = 20;
/** Parquet footers larger than this are not read (a schema of tens of thousands of columns). */
const MAX_FOOTER_BYTES = 16 * 2 ** 20;

const cache = new Map<string, { mtimeMs: number; size: number; columns: DataColumns | undefined }>();

/**
 * The columns of a CSV or Parquet file, by its extension: the CSV header and
 * a few rows after it, or the Parquet footer; never the whole file. Cached by
 * path, modification time and size; undefined when the file is missing,
 * unreadable or of another format.
 */
export function readDataColumns(file: string): DataColumns | undefined {
  const format = /\.csv$/i.test(file) ? 'csv' : /\.parquet$/i.test(file) ? 'parquet' : undefined;
  if (!format) return undefined;
  let stat;
  try {
    stat = statSync(file);
  } catch {
    cache.delete(file);
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.columns;
  let columns: DataColumns | undefined;
  try {
    columns = format === 'csv' ? csvColumns(file) : parquetColumns(file);
  } catch {
    columns = undefined;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, columns });
  return columns;
}

function readAt(fd: number, position: number, length: number): Uint8Array {
  const buffer = new Uint8Array(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read === length ? buffer : buffer.subarray(0, read);
}

function csvColumns(file: string): DataColumns | undefined {
  const fd = openSync(file, 'r');
  let head: string;
  let whole: boolean;
  try {
    const size = fstatSync(fd).size;
    whole = size <= CSV_HEAD_BYTES;
    head = Buffer.from(readAt(fd, 0, Math.min(size, CSV_HEAD_BYTES))).toString('utf8');
  } finally {
    closeSync(fd);
  }
  // A cut-off last line would read as a short row.
  if (!whole) head = head.slice(0, head.lastIndexOf('\n') + 1);
  const options = { bom: true, relax_column_count: true, skip_empty_lines: true, to_line: CSV_SAMPLE_ROWS + 1 } as const;
  let rows: string[][];
  try {
    rows = parse(head, options) as string[][];
  } catch {
    // A quoted field that runs past the part read: the header alone.
    rows = parse(head, { ...options, to_line: 1 }) as string[][];
  }
  const header = rows[0];
  if (!header) return undefined;
  const columns = header.map((name, i) => ({ name: name.trim(), type: inferType(rows.slice(1).map((r) => r[i] ?? '')) }));
  return { format: 'csv', columns, inferred: true };
}

/** A dtype of docs/formats.md (section Features files) for a column's sample values: every non-empty value must fit. */
export function inferType(values: readonly string[]): string {
  const present = values.map((v) => v.trim()).filter((v) => v !== '');
  if (present.length === 0) return 'String';
  if (present.every((v) => /^[-+]?\d+$/.test(v))) return 'Int64';
  if (present.every((v) => v !== '' && !Number.isNaN(Number(v)))) return 'Float64';
  if (present.every((v) => /^(true|false)$/i.test(v))) return 'Bool';
  if (present.every((v) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v))) return 'UnixTimestamp';
  return 'String';
}

function parquetColumns(file: string): DataColumns | undefined {
  const fd = openSync(file, 'r');
  let footer: Uint8Array;
  try {
    const size = fstatSync(fd).size;
    if (size < 12) return undefined;
    const tail = readAt(fd, size - 8, 8);
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    if (view.getUint32(4, true) !== 0x31524150) return undefined;
    const length = view.getUint32(0, true);
    if (length + 8 > size || length > MAX_FOOTER_BYTES) return undefined;
    footer = readAt(fd, size - length - 8, length + 8);
  } finally {
    closeSync(fd);
  }
  const metadata = parquetMetadata(footer);
  const tree = parquetSchema(metadata);
  const columns = tree.children.map((child) => ({ name: child.element.name, type: parquetType(child) }));
  return { format: 'parquet', columns, inferred: false };
}

interface SchemaNode {
  readonly element: {
    readonly type?: string;
    readonly converted_type?: string;
    readonly logical_type?: { readonly type: string; readonly bitWidth?: number };
  };
  readonly children: readonly SchemaNode[];
}

/** The Parquet physical and logical types in the dtype words of docs/formats.md (section Features files). */
function parquetType(node: SchemaNode): string {
  const { element, children } = node;
  if (children.length > 0) {
    // LIST: group (LIST) { repeated group list { element } }
    const leaf = children[0]?.children[0] ?? children[0];
    const logical = element.logical_type?.type ?? element.converted_type;
    if ((logical === 'LIST' || children.length === 1) && leaf) return `Array(${parquetType(leaf)})`;
    return 'Struct';
  }
  const logical = element.logical_type?.type ?? element.converted_type;
  if (logical === 'STRING' || logical === 'UTF8' || logical === 'ENUM' || logical === 'JSON') return 'String';
  if (logical === 'TIMESTAMP' || logical === 'TIMESTAMP_MILLIS' || logical === 'TIMESTAMP_MICROS' || logical === 'DATE')
    return 'UnixTimestamp';
  switch (element.type) {
    case 'BOOLEAN':
      return 'Bool';
    case 'INT32':
      return 'Int32';
    case 'INT64':
      return 'Int64';
    case 'INT96':
      return 'UnixTimestamp';
    case 'FLOAT':
      return 'Float32';
    case 'DOUBLE':
      return 'Float64';
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return 'Bytes';
    default:
      return element.type ?? 'unknown';
  }
}

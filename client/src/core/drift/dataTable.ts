/**
 * Data files as columns of cells: CSV through d3-dsv's parser (RFC 4180; five times csv-parse's
 * stream on a 500,000-row file, which the point-in-time join reads twice per view), Parquet through
 * hyparquet. Cells keep what the file holds (strings for CSV); missing values are null.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { csvParseRows } from 'd3-dsv';
import { parquetReadObjects } from 'hyparquet';

export type Cell = string | number | null;

/** One data set: one file, or several concatenated. */
export interface Table {
  readonly files: readonly string[];
  readonly rowCount: number;
  /** By header order; every column holds rowCount cells. */
  readonly columns: ReadonlyMap<string, readonly Cell[]>;
}

/** What CSV readers (pandas' defaults) take for a missing value. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

export type DataFormat = 'csv' | 'parquet';

export function dataFormat(file: string): DataFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.parquet' || ext === '.pq' ? 'parquet' : undefined;
}

export async function readTable(file: string): Promise<Table> {
  const format = dataFormat(file);
  if (format === 'parquet') return readParquet(file);
  if (format === 'csv') return readCsv(file);
  throw new Error(`${file}: not a CSV or Parquet file`);
}

/** Several files as one table, rows in file order; a column absent from a file is missing there. */
export async function readTables(files: readonly string[]): Promise<Table> {
  const tables: Table[] = [];
  for (const file of files) tables.push(await readTable(file));
  return concatTables(tables);
}

export function concatTables(tables: readonly Table[]): Table {
  if (tables.length === 1) return tables[0]!;
  const names: string[] = [];
  for (const t of tables) for (const name of t.columns.keys()) if (!names.includes(name)) names.push(name);
  const rowCount = tables.reduce((n, t) => n + t.rowCount, 0);
  const columns = new Map<string, Cell[]>();
  for (const name of names) {
    const out: Cell[] = new Array(rowCount);
    let at = 0;
    for (const t of tables) {
      const cells = t.columns.get(name);
      for (let i = 0; i < t.rowCount; i++) out[at++] = cells ? cells[i]! : null;
    }
    columns.set(name, out);
  }
  return { files: tables.flatMap((t) => t.files), rowCount, columns };
}

async function readCsv(file: string): Promise<Table> {
  let text = await readFile(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let header: string[] | undefined;
  let cols: Cell[][] = [];
  let rows = 0;
  // The row callback keeps no array of rows: cells go straight into their columns.
  csvParseRows(text, (record) => {
    if (record.length === 1 && record[0] === '') return undefined; // an empty line
    if (!header) {
      header = record.map((h) => h.trim());
      cols = header.map(() => []);
      return undefined;
    }
    for (let c = 0; c < cols.length; c++) cols[c]!.push(csvCell(record[c]));
    rows++;
    return undefined;
  });
  const columns = new Map<string, Cell[]>();
  (header ?? []).forEach((name, c) => {
    if (!columns.has(name)) columns.set(name, cols[c]!);
  });
  return { files: [file], rowCount: rows, columns };
}

const isSpace = (code: number) => code === 32 || code === 9;

const isDigit = (code: number) => code >= 48 && code <= 57;

/** A CSV cell as read: null when missing (empty or an NA token), else its text. */
export function csvCell(raw: string | undefined): Cell {
  if (raw === undefined || raw.length === 0) return null;
  const first = raw.charCodeAt(0);
  // A number, unless it is one of the `1.#IND` forms; the common cell, so it skips the set.
  if (isDigit(first) || (first === 45 && raw.length > 1 && isDigit(raw.charCodeAt(1))))
    return raw.includes('#') && MISSING_TOKENS.has(raw.trim()) ? null : raw;
  if (raw.length > 8 && !isSpace(first) && !isSpace(raw.charCodeAt(raw.length - 1))) return raw; // longer than any missing token
  return MISSING_TOKENS.has(raw) || MISSING_TOKENS.has(raw.trim()) ? null : raw;
}

async function readParquet(file: string): Promise<Table> {
  const bytes = await readFile(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file: buffer });
  const columns = new Map<string, Cell[]>();
  const names = rows.length ? Object.keys(rows[0]!) : [];
  for (const name of names)
    columns.set(
      name,
      rows.map((row) => toCell(row[name])),
    );
  return { files: [file], rowCount: rows.length, columns };
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

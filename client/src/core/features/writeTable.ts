import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dataFormat, type Cell } from '../drift/dataTable';
import { parseTimestamp } from './timestamps';

// Tables out: CSV (RFC 4180 quoting, empty cells for missing values) or Parquet through
// hyparquet-writer, the writer of the same family as the hyparquet reader the project uses.

export interface OutTable {
  readonly columns: ReadonlyMap<string, readonly Cell[]>;
  readonly rowCount: number;
}

const needsQuotes = /[",\r\n]/;
const csvField = (cell: Cell): string => {
  if (cell === null) return '';
  const text = String(cell);
  return needsQuotes.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The table as CSV text, written in chunks to `write`. */
export async function writeCsv(table: OutTable, write: (chunk: string) => Promise<void> | void): Promise<void> {
  const names = [...table.columns.keys()];
  const cols = names.map((n) => table.columns.get(n)!);
  await write(`${names.map(csvField).join(',')}\n`);
  const CHUNK = 10_000;
  for (let start = 0; start < table.rowCount; start += CHUNK) {
    const lines: string[] = [];
    const end = Math.min(table.rowCount, start + CHUNK);
    for (let row = start; row < end; row++) {
      let line = '';
      for (let c = 0; c < cols.length; c++) line += (c ? ',' : '') + csvField(cols[c]![row]!);
      lines.push(line);
    }
    await write(`${lines.join('\n')}\n`);
  }
}

function parquetColumn(name: string, cells: readonly Cell[]) {
  const present = cells.filter((c) => c !== null);
  if (name === 'event_timestamp' && present.every((c) => !Number.isNaN(parseTimestamp(c)))) {
    return { name, type: 'TIMESTAMP' as const, data: cells.map((c) => (c === null ? null : new Date(parseTimestamp(c)))) };
  }
  if (present.length > 0 && present.every((c) => typeof c === 'number' || (c.trim() !== '' && Number.isFinite(Number(c))))) {
    return { name, type: 'DOUBLE' as const, data: cells.map((c) => (c === null ? null : Number(c))) };
  }
  return { name, type: 'STRING' as const, data: cells.map((c) => (c === null ? null : String(c))) };
}

/** Writes `table` to `file` as CSV or Parquet, by its extension. */
export async function writeTableFile(file: string, table: OutTable): Promise<void> {
  const format = dataFormat(file);
  if (format === 'parquet') {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const columnData = [...table.columns].map(([name, cells]) => parquetColumn(name, cells));
    await writeFile(file, new Uint8Array(parquetWriteBuffer({ columnData })));
    return;
  }
  if (format !== 'csv') throw new Error(`${file}: write a .csv or .parquet file`);
  const out = createWriteStream(file);
  try {
    await writeCsv(table, (chunk) => (out.write(chunk) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve()))));
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

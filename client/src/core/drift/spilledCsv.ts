/**
 * CSV data spilled column by column: one streaming pass over a side's files (reference, or the
 * current files in order) parses every cell and appends each column's numbers to a binary file
 * of doubles of its own, so a drift check later holds one column of both sides at a time, never
 * the table. A column with a text cell stops spilling at once; its cells are read as text in a
 * second pass when it is compared (`collectCells`). Same cells as `readTable`: missing values
 * (empty, NA tokens) counted, numbers as `Number` reads plain decimals.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { plainNumber } from './columns';
import { streamCsv, type CsvRowSink } from './csvStream';
import { csvCell, type Cell } from './dataTable';
import { numberFromBytes } from './numberBytes';

const BLOCK = 1 << 16; // doubles buffered per column before a write

/** One column of one side, plain data (it crosses from a worker). */
export interface SpilledColumn {
  /** Every non-missing cell was a number; `file` then holds `count` doubles in file order. */
  readonly numeric: boolean;
  readonly count: number;
  readonly missing: number;
  readonly file?: string;
}

export interface SpilledSide {
  readonly files: readonly string[];
  readonly rowCount: number;
  /** In first-seen header order over the files; the first of same-named columns counts. */
  readonly columns: Record<string, SpilledColumn>;
}

class ColumnSpill {
  numeric = true;
  count = 0;
  missing = 0;
  private block = new Float64Array(BLOCK);
  private used = 0;
  private fd: number | undefined;

  constructor(readonly file: string) {}

  push(value: number): void {
    this.block[this.used++] = value;
    if (this.used === BLOCK) this.flush();
  }

  toText(): void {
    this.numeric = false;
    this.close();
    rmSync(this.file, { force: true });
    this.block = new Float64Array(0);
  }

  flush(): void {
    if (this.used === 0) return;
    this.fd ??= openSync(this.file, 'w');
    const bytes = new Uint8Array(this.block.buffer, 0, this.used * 8);
    for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at);
    this.count += this.used;
    this.used = 0;
  }

  close(): void {
    if (this.numeric) this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  info(): SpilledColumn {
    return this.numeric
      ? { numeric: true, count: this.count, missing: this.missing, file: this.file }
      : { numeric: false, count: 0, missing: this.missing };
  }
}

const decoder = new TextDecoder();

/** Routes a file's cells to the side's columns; columns the file lacks are missing on each row. */
class SpillSink implements CsvRowSink {
  readonly numbers = true;

  constructor(private readonly byIndex: (ColumnSpill | undefined)[]) {}

  number(column: number, value: number): void {
    const spill = this.byIndex[column];
    if (spill?.numeric) spill.push(value);
  }

  raw(column: number, bytes: Uint8Array, start: number, end: number): void {
    const spill = this.byIndex[column];
    if (!spill?.numeric) return;
    if (start === end) {
      spill.missing++;
      return;
    }
    const value = numberFromBytes(bytes, start, end);
    if (value === value) spill.push(value);
    else this.text(spill, decoder.decode(bytes.subarray(start, end)));
  }

  quoted(column: number, text: string): void {
    const spill = this.byIndex[column];
    if (spill?.numeric) this.text(spill, text);
  }

  private text(spill: ColumnSpill, raw: string): void {
    const cell = csvCell(raw);
    if (cell === null) {
      spill.missing++;
      return;
    }
    const value = +cell;
    if (Number.isFinite(value) && plainNumber(cell as string)) spill.push(value);
    else spill.toText();
  }

  endRow(cells: number): void {
    for (let c = cells; c < this.byIndex.length; c++) {
      const spill = this.byIndex[c];
      if (spill?.numeric) spill.missing++;
    }
  }
}

/** Streams `files` (one side) into `dir`, file names starting with `tag`. */
export async function spillCsv(files: readonly string[], dir: string, tag: string): Promise<SpilledSide> {
  const columns = new Map<string, ColumnSpill>();
  let rowCount = 0;
  try {
    for (const file of files) {
      const seen = new Set<ColumnSpill>();
      const rows = await streamCsv(file, (names) => {
        const byIndex = names.map((name) => {
          let spill = columns.get(name);
          if (!spill) {
            spill = new ColumnSpill(path.join(dir, `${tag}-${columns.size}.f64`));
            spill.missing = rowCount; // absent from the earlier files
            columns.set(name, spill);
          }
          if (seen.has(spill)) return undefined; // a repeated header name: the first one counts
          seen.add(spill);
          return spill;
        });
        return new SpillSink(byIndex);
      });
      for (const spill of columns.values()) if (!seen.has(spill)) spill.missing += rows;
      rowCount += rows;
    }
  } finally {
    for (const spill of columns.values()) spill.close();
  }
  return { files, rowCount, columns: Object.fromEntries([...columns].map(([name, spill]) => [name, spill.info()])) };
}

/** The numbers of a numeric spilled column, in file order. */
export function loadColumn(column: SpilledColumn): Float64Array {
  const values = new Float64Array(column.count);
  if (column.count === 0 || !column.file) return values;
  const bytes = new Uint8Array(values.buffer);
  const fd = openSync(column.file, 'r');
  try {
    for (let at = 0; at < bytes.length;) {
      const n = readSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 30), at);
      if (n === 0) throw new Error(`${column.file}: ends after ${at} of ${bytes.length} bytes`);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return values;
}

class CellSink implements CsvRowSink {
  readonly numbers = false;

  constructor(private readonly byIndex: (Cell[] | undefined)[]) {}

  number(): void {
    throw new Error('CellSink reads text');
  }

  raw(column: number, bytes: Uint8Array, start: number, end: number): void {
    this.byIndex[column]?.push(start === end ? null : csvCell(decoder.decode(bytes.subarray(start, end))));
  }

  quoted(column: number, text: string): void {
    this.byIndex[column]?.push(csvCell(text));
  }

  endRow(cells: number): void {
    for (let c = cells; c < this.byIndex.length; c++) this.byIndex[c]?.push(null);
  }
}

/** The cells of `names` over `files` (one side), as `readTables` gives them: text, null when missing. */
export async function collectCells(files: readonly string[], names: readonly string[]): Promise<Map<string, Cell[]>> {
  const out = new Map<string, Cell[]>(names.map((n) => [n, []]));
  let rowCount = 0;
  for (const file of files) {
    const seen = new Set<string>();
    const rows = await streamCsv(
      file,
      (header) =>
        new CellSink(
          header.map((name) => {
            if (seen.has(name) || !out.has(name)) return undefined;
            seen.add(name);
            return out.get(name);
          }),
        ),
    );
    rowCount += rows;
    for (const [name, cells] of out) if (!seen.has(name)) while (cells.length < rowCount) cells.push(null);
  }
  return out;
}

/**
 * A CSV file read in chunks of bytes, row by row, for data too large to hold as text: RFC 4180
 * quoting (a quoted cell may hold commas, quotes as `""` and line breaks), LF, CRLF or CR line
 * ends, a UTF-8 byte order mark skipped, empty lines skipped, as `readTable` (d3-dsv) reads it.
 * Each complete row is handed to a sink cell by cell, as byte ranges of the chunk: a number
 * needs no string. Memory: one chunk (grown only for a row longer than it).
 */
import { open } from 'node:fs/promises';

const CHUNK = 1 << 22;
const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Receives the cells of one row, in column order, then the end of the row. */
export interface CsvRowSink {
  /** Whether plain decimals come as numbers (`number`) rather than as bytes (`raw`). */
  readonly numbers: boolean;
  /** An unquoted cell that is a plain decimal (`[+-]digits[.digits]`), as `Number` reads it. */
  number(column: number, value: number): void;
  /** An unquoted cell: bytes [start, end) of `bytes`. */
  raw(column: number, bytes: Uint8Array, start: number, end: number): void;
  /** A quoted cell, unescaped. */
  quoted(column: number, text: string): void;
  /** The row had `cells` cells (columns from `cells` on are absent from it). */
  endRow(cells: number): void;
}

const decoder = new TextDecoder();
const POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact up to 1e22

function unquote(bytes: Uint8Array, start: number, end: number, escapes: boolean): string {
  const text = decoder.decode(bytes.subarray(start, end));
  return escapes ? text.replaceAll('""', '"') : text;
}

/**
 * Reads `file`; `onHeader` gets the header row's cells (trimmed) and returns the sink for the
 * rows, which receives cells of the first `header.length` columns only. Returns the row count.
 * `chunkBytes`: the read size (tests make it tiny to cut rows and quoted cells at every byte).
 */
export async function streamCsv(file: string, onHeader: (names: string[]) => CsvRowSink, chunkBytes = CHUNK): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const parser = new RowParser(onHeader);
    let buf = new Uint8Array(chunkBytes);
    let len = 0;
    let eof = false;
    let first = true;
    while (!eof) {
      if (len === buf.length) {
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, len, buf.length - len, null);
      if (bytesRead === 0) eof = true;
      len += bytesRead;
      let p = 0;
      if (first && len >= 3) {
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = 3;
        first = false;
      } else if (first && eof) first = false;
      if (first) continue;
      p = parser.feed(buf, p, len, eof);
      // Keep the unfinished row at the front.
      if (p > 0) {
        buf.copyWithin(0, p, len);
        len -= p;
      }
    }
    return parser.finish();
  } finally {
    await handle.close();
  }
}

/** Rows out of bytes, one chunk at a time (synchronous, so the hot loop is optimized as a whole). */
class RowParser {
  private sink: CsvRowSink | undefined;
  private width = 0;
  // Per column of the row being parsed: start, end, and 0 plain / 1 quoted / 2 quoted with "" escapes / 3 a number (in values).
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private kinds = new Uint8Array(64);
  private values = new Float64Array(64);
  private rows = 0;

  constructor(private readonly onHeader: (names: string[]) => CsvRowSink) {}

  finish(): number {
    if (!this.sink) this.onHeader([]);
    return this.rows;
  }

  /** Parses the complete rows of buf[p, len) (the last one too at the end of the file); returns where the rest starts. */
  feed(buf: Uint8Array, p: number, len: number, eof: boolean): number {
    let { sink, width, starts, ends, kinds, values, rows } = this;
    let header: string[];
    // Rows wholly inside [p, len); an unfinished one waits for the next read unless the file ended.
    for (;;) {
      if (p >= len) break;
      let q = p;
      let cells = 0;
      let complete = false;
      let empty = false;
      for (;;) {
        // One cell from q.
        let start: number;
        let end: number;
        let kind = 0;
        let value = 0;
        if (q < len && buf[q] === QUOTE) {
          start = q + 1;
          let r = start;
          let closed = false;
          while (r < len) {
            if (buf[r] === QUOTE) {
              if (r + 1 < len && buf[r + 1] === QUOTE) {
                kind = 2;
                r += 2;
                continue;
              }
              if (r + 1 >= len && !eof) break; // "" may straddle the chunk
              closed = true;
              break;
            }
            r++;
          }
          if (!closed && !eof) break; // unfinished
          end = r;
          kind ||= 1;
          q = closed ? r + 1 : r;
          // Anything between the closing quote and the delimiter is dropped.
          while (q < len && buf[q] !== COMMA && buf[q] !== LF && buf[q] !== CR) q++;
        } else {
          start = q;
          // The common cell, a plain decimal, is parsed as it is scanned (see numberBytes.ts for
          // why the result is Number's); any other text is scanned on and left to the sink.
          let c = q < len ? buf[q]! : COMMA;
          const negative = c === 45;
          if (negative || c === 43) c = ++q < len ? buf[q]! : COMMA;
          let mantissa = 0;
          let significant = 0;
          let digits = 0;
          let scale = 0;
          let fraction = false;
          for (;;) {
            if (c >= 48 && c <= 57) {
              if (mantissa !== 0 || c !== 48) {
                mantissa = mantissa * 10 + (c - 48);
                significant++;
              }
              digits++;
              if (fraction) scale--;
            } else if (c === 46 && !fraction) fraction = true;
            else break;
            c = ++q < len ? buf[q]! : COMMA;
          }
          if (c === COMMA || c === LF || c === CR) {
            if (digits > 0 && significant <= 15 && scale >= -22) {
              kind = 3;
              value = scale === 0 ? mantissa : mantissa / POWERS[-scale]!;
              if (negative) value = -value;
            }
          } else
            while (q < len) {
              c = buf[q]!;
              if (c === COMMA || c === LF || c === CR) break;
              q++;
            }
          end = q;
        }
        if (q >= len && !eof) break; // the delimiter or line end is not read yet
        if (cells < width || !sink) {
          if (cells >= starts.length) {
            const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
            starts = grow(starts, new Int32Array(starts.length * 2));
            ends = grow(ends, new Int32Array(ends.length * 2));
            kinds = grow(kinds, new Uint8Array(kinds.length * 2));
            values = grow(values, new Float64Array(values.length * 2));
          }
          starts[cells] = start;
          ends[cells] = end;
          kinds[cells] = kind;
          values[cells] = value;
        }
        cells++;
        if (q >= len) {
          complete = true; // end of file
          empty = cells === 1 && end === start;
          p = q;
          break;
        }
        const c = buf[q]!;
        if (c === COMMA) {
          q++;
          continue;
        }
        if (c === CR) {
          if (q + 1 >= len && !eof) break;
          q += q + 1 < len && buf[q + 1] === LF ? 2 : 1;
        } else q++;
        complete = true;
        empty = cells === 1 && end === start;
        p = q;
        break;
      }
      if (!complete) break;
      if (empty) continue;
      if (!sink) {
        header = [];
        for (let c = 0; c < cells; c++) {
          const k = kinds[c]!;
          header.push(
            (k === 1 || k === 2 ? unquote(buf, starts[c]!, ends[c]!, k === 2) : decoder.decode(buf.subarray(starts[c]!, ends[c]!))).trim(),
          );
        }
        width = header.length;
        sink = this.onHeader(header);
        continue;
      }
      const n = cells < width ? cells : width;
      const numbers = sink.numbers;
      for (let c = 0; c < n; c++) {
        const k = kinds[c]!;
        if (k === 3 && numbers) sink.number(c, values[c]!);
        else if (k === 0 || k === 3) sink.raw(c, buf, starts[c]!, ends[c]!);
        else sink.quoted(c, unquote(buf, starts[c]!, ends[c]!, k === 2));
      }
      sink.endRow(n);
      rows++;
    }
    this.sink = sink;
    this.width = width;
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
    this.values = values;
    this.rows = rows;
    return p;
  }
}

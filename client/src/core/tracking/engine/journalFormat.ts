import { crc32 } from 'node:zlib';

// One journal line per acknowledged write:  <crc32 of the JSON, 8 hex digits> <JSON>\n
// JSON never contains a raw newline, so lines split cleanly; the checksum tells a complete line from
// one torn by a crash mid-append (or damaged on disk), which the reader skips and reports. A bad line
// after the last intact one is a torn tail (journal.ts moves it aside); one in the middle is damage.

/** One acknowledged write: sequence number, method, arguments, and the values now()/newId() returned. */
export interface JournalEntry {
  s: number;
  m: string;
  a: unknown[];
  r: (number | string)[];
  /** Present when `a` holds tagged values (see `encodeArgs`); only then does the reader need a reviver. */
  t?: 1;
}

export interface DecodedJournal {
  entries: JournalEntry[];
  /** Bytes of lines that failed their checksum or had no newline (a torn tail). */
  badBytes: number;
  /** Whether every bad byte is in the tail (after the last intact line): the mark of a crash mid-append. */
  tornTailOnly: boolean;
  /** Offset just past the last intact line: what follows is a torn tail (a cut-off or damaged last line). */
  intactEnd: number;
}

const NEWLINE = 0x0a;
const HEADER = 9; // 8 hex digits and a space

// JSON loses NaN, ±Infinity, bigint and undefined array slots (they become null or throw). Such values are
// rare, so the fast path stringifies plainly and only re-encodes with tags when the text holds a "null" that
// might have come from one of them (or stringify threw on a bigint).
const TAG = '\u0000mlops';

function tagValue(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return { [TAG]: String(value) };
  if (typeof value === 'bigint') return { [TAG]: `${value}n` };
  if (value === undefined) return { [TAG]: 'undefined' };
  return value;
}

function untagValue(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && TAG in value) {
    const tag = (value as Record<string, string>)[TAG] ?? '';
    if (tag === 'undefined') return undefined;
    if (tag.endsWith('n')) return BigInt(tag.slice(0, -1));
    return Number(tag);
  }
  return value;
}

/** The arguments of a write, encoded before the call so that a repository mutating them cannot skew replay. */
export interface EncodedArgs {
  json: string;
  tagged: boolean;
}

export function encodeArgs(args: unknown[]): EncodedArgs {
  try {
    const json = JSON.stringify(args);
    if (!json.includes('null')) return { json, tagged: false };
  } catch {
    // a bigint: fall through to the tagged encoding
  }
  return { json: JSON.stringify(args, tagValue), tagged: true };
}

export function encodeFrame(s: number, m: string, args: EncodedArgs, r: (number | string)[]): Buffer {
  const text = `{"s":${s},"m":${JSON.stringify(m)},"a":${args.json},"r":${JSON.stringify(r)}${args.tagged ? ',"t":1' : ''}}`;
  const body = Buffer.from(text, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER + body.length + 1);
  frame.write(crc32(body).toString(16).padStart(8, '0'), 0, 'latin1');
  frame[8] = 0x20;
  body.copy(frame, HEADER);
  frame[frame.length - 1] = NEWLINE;
  return frame;
}

function parseEntry(body: Buffer): JournalEntry | undefined {
  try {
    const text = body.toString('utf8');
    // `encodeFrame` writes `t` last, so a tagged entry's text ends with it; only then pay for the reviver.
    const entry = (text.endsWith(',"t":1}') ? JSON.parse(text, untagValue) : JSON.parse(text)) as JournalEntry;
    return typeof entry.s === 'number' && typeof entry.m === 'string' && Array.isArray(entry.a) && Array.isArray(entry.r)
      ? entry
      : undefined;
  } catch {
    return undefined;
  }
}

export function decodeFrames(data: Buffer): DecodedJournal {
  const entries: JournalEntry[] = [];
  let badBytes = 0;
  let intactEnd = 0;
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    if (end < 0) {
      badBytes += data.length - start; // unterminated last line: the append was cut short
      break;
    }
    const body = data.subarray(start + HEADER, end);
    const expected = Number.parseInt(data.toString('latin1', start, start + 8), 16);
    const entry = end - start > HEADER && data[start + 8] === 0x20 && crc32(body) === expected ? parseEntry(body) : undefined;
    if (entry) {
      entries.push(entry);
      intactEnd = end + 1;
    } else badBytes += end + 1 - start;
    start = end + 1;
  }
  return { entries, badBytes, tornTailOnly: badBytes === data.length - intactEnd, intactEnd };
}

import type { Cell } from '../drift/dataTable';

// Timestamps as Feast reads them: ISO 8601 or pandas' `YYYY-MM-DD HH:MM:SS[.ffffff]`, with an
// offset or `Z`, or naive, which means UTC. Milliseconds since the epoch.

const FAST = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]00:?00|\+00)?$/;

/** The digits of `text` from `at` to `at + count` as a number; -1 when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const DAY_MS = 86_400_000;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date, by arithmetic (Hinnant's days_from_civil). */
function civilDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/**
 * The common forms read by char codes, with no regular expression, substring or Date: a join
 * parses every source row's timestamp. `YYYY-MM-DD`, then `[T ]HH:MM:SS`, then `Z`: -1 when the
 * text is any other form, NaN when it has that form but no such time (2026-02-30, 24:00:00).
 */
function quickUtc(text: string): number {
  const n = text.length;
  if ((n !== 10 && n !== 19 && n !== 20) || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]!)) return Number.NaN;
  const date = civilDays(y, mo, d) * DAY_MS;
  if (n === 10) return date;
  const sep = text.charCodeAt(10);
  if ((sep !== 84 && sep !== 32) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return -1;
  if (n === 20 && text.charCodeAt(19) !== 90) return -1;
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  if (h < 0 || mi < 0 || s < 0) return -1;
  if (h > 23 || mi > 59 || s > 59) return Number.NaN;
  return date + ((h * 60 + mi) * 60 + s) * 1000;
}

/** Milliseconds, or NaN when `cell` is not a timestamp. */
export function parseTimestamp(cell: Cell): number {
  if (cell === null) return Number.NaN;
  if (typeof cell === 'number') return cell;
  const quick = quickUtc(cell);
  if (quick !== -1) return quick;
  const text = cell.trim();
  const m = FAST.exec(text);
  if (m) {
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, ms);
    // No day past the month's end (2026-02-30), no hour past 23, no minute or second past 59.
    const back = new Date(t);
    return back.getUTCDate() === +m[3]! &&
      back.getUTCMonth() === +m[2]! - 1 &&
      back.getUTCHours() === (m[4] ? +m[4] : 0) &&
      back.getUTCMinutes() === (m[5] ? +m[5] : 0) &&
      back.getUTCSeconds() === (m[6] ? +m[6] : 0)
      ? t
      : Number.NaN;
  }
  // An offset other than UTC, or another form Date reads; naive ones are UTC.
  const withZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const parsed = Date.parse(withZone.replace(' ', 'T'));
  return Number.isNaN(parsed) ? Number.NaN : parsed;
}

/** A column parsed whole; `onBad(row)` is told of the first cell that is not a timestamp. */
export function timestampColumn(cells: readonly Cell[], onBad: (row: number, cell: Cell) => never): Float64Array {
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const t = parseTimestamp(cells[i]!);
    if (Number.isNaN(t)) onBad(i, cells[i]!);
    out[i] = t;
  }
  return out;
}

/** ISO 8601 UTC, without milliseconds when they are 0: `2026-01-02T03:04:05Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

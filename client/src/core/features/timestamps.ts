import type { Cell } from '../drift/dataTable';

// Timestamps as Feast reads them: ISO 8601 or pandas' `YYYY-MM-DD HH:MM:SS[.ffffff]`, with an
// offset or `Z`, or naive, which means UTC. Milliseconds since the epoch.

const FAST = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]00:?00|\+00)?$/;

/** Milliseconds, or NaN when `cell` is not a timestamp. */
export function parseTimestamp(cell: Cell): number {
  if (cell === null) return Number.NaN;
  if (typeof cell === 'number') return cell;
  const text = cell.trim();
  const m = FAST.exec(text);
  if (m) {
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, ms);
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

import { invalid } from './errors';

// MLflow's page tokens: base64 of {"offset": N}. Opaque to clients, so any store may read them.

export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

export function pageOffset(token: string | undefined): number {
  if (!token) return 0;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token)) throw invalid('Invalid page token, could not base64-decode');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalid(`Invalid page token, decoded value=${Buffer.from(token, 'base64').toString('utf8')}`);
  }
  const offset = (decoded as { offset?: unknown } | null)?.offset;
  if (offset === undefined) throw invalid(`Invalid page token, parsed value=${JSON.stringify(decoded)}`);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalid(`Invalid page token, offset must be a non-negative integer, got ${JSON.stringify(offset)}`);
  }
  return offset;
}

/** Checks max_results as MLflow does: positive, at most `cap`. */
export function maxResults(value: number | undefined, fallback: number, cap: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n <= 0 || n > cap) {
    throw invalid(`Invalid value ${n} for parameter 'max_results' supplied. It must be a positive integer at most ${cap}.`);
  }
  return n;
}

/** Fetches one more row than asked to learn whether a next page exists. */
export function page<T>(rows: T[], offset: number, limit: number): { items: T[]; next_page_token?: string } {
  if (rows.length > limit) return { items: rows.slice(0, limit), next_page_token: pageToken(offset + limit) };
  return { items: rows };
}

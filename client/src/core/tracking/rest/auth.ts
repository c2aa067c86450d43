import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * A check of `Authorization: Bearer <token>` that compares digests, so the time taken says nothing
 * about how much of the token matched. The token's own digest is taken once.
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (header) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    return timingSafeEqual(given, expected) && match !== null;
  };
}

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/i;

/**
 * Whether a Host header names this server by a loopback name. A page on another site that has
 * rebound its DNS name to 127.0.0.1 still sends its own name here, and is refused.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  const match = LOOPBACK_HOST.exec(host ?? '');
  return match !== null && (match[2] === undefined || Number(match[2]) === port);
}

export const LOOPBACK_ADDRESSES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

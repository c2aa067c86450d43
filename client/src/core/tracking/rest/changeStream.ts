import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { StoreChange } from '../repository';
import { parseEventId } from './changeFeed';
import { SseParser, type SseEvent } from './sse';

const IDLE_MS = 45_000;

/** Every view reloads from its root: what a reset of the stream (or a switch of stores) means. */
export const EVERYTHING_CHANGED: readonly StoreChange[] = [
  { kind: 'experiment', ids: [], op: 'update' },
  { kind: 'run', ids: [], op: 'update' },
  { kind: 'model', ids: [], op: 'update' },
  { kind: 'monitor', ids: [], op: 'update' },
];

export interface ChangeStreamOptions {
  /** The endpoint's base URL (`http://127.0.0.1:PORT`, as `.mlops/server.json` lists it). */
  readonly url: string;
  readonly token: string;
  onChanges(changes: StoreChange[]): void;
  /** Events were lost (the server restarted, or the client was away longer than the server keeps): reload everything. */
  onReset(): void;
  /** A connection failed or dropped; `retryInMs` is when the next attempt goes, undefined when it gives up (401, 403, 404). */
  onError?(error: Error, retryInMs: number | undefined): void;
  /** Connected and caught up (after a replay, or a reset). */
  onConnected?(): void;
  /** A connection silent this long is given up and made again (default 45 s: three of the server's heartbeats). */
  readonly idleMs?: number;
  /** Reconnection delays: the first, doubled on each failure up to the last (default 500 ms to 15 s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

export interface ChangeStream {
  /** The id of the last event received (`<epoch>.<sequence>`); a new stream given it goes on from there. */
  readonly lastEventId: string;
  close(): void;
}

/**
 * Follows `GET /api/2.0/mlops/changes` of a workspace endpoint (rest/changeFeed.ts): change
 * batches as they happen; after a dropped connection it reconnects with backoff and
 * `Last-Event-ID`, so the server replays what was missed (each event once, in order) or says
 * `reset`. No vscode: joined windows and `mlops runs list --watch` both use it.
 */
export function followChanges(options: ChangeStreamOptions): ChangeStream {
  const initialMs = options.backoff?.initialMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 15_000;
  const idleMs = options.idleMs ?? IDLE_MS;
  let delay = initialMs;
  let lastEventId = '';
  let closed = false;
  let current: ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  const endpoint = new URL('api/2.0/mlops/changes', options.url.endsWith('/') ? options.url : `${options.url}/`);

  const retry = (error: Error) => {
    const wait = Math.round(delay * (1 + Math.random() * 0.2));
    delay = Math.min(maxMs, delay * 2);
    options.onError?.(error, wait);
    timer = setTimeout(connect, wait);
  };

  const onEvent = (event: SseEvent) => {
    const id = parseEventId(event.lastEventId);
    const last = parseEventId(lastEventId);
    if (event.event === 'change') {
      // The server never sends an event twice; this guards against a misbehaving proxy.
      if (id && last && id.epoch === last.epoch && id.seq <= last.seq) return;
      lastEventId = event.lastEventId;
      let changes: unknown;
      try {
        changes = JSON.parse(event.data);
      } catch {
        changes = undefined;
      }
      // An event that cannot be read is a change that cannot be applied: reload everything instead.
      if (Array.isArray(changes)) options.onChanges(changes as StoreChange[]);
      else options.onReset();
    } else if (event.event === 'ready' || event.event === 'reset') {
      lastEventId = event.lastEventId;
      delay = initialMs;
      if (event.event === 'reset') options.onReset();
      options.onConnected?.();
    }
  };

  /** One connection: its response streams events until it ends, fails or is refused; then the next one is scheduled. */
  function connect(): void {
    timer = undefined;
    if (closed) return;
    const request = endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(endpoint, {
      method: 'GET',
      headers: {
        Accept: 'text/event-stream',
        Authorization: `Bearer ${options.token}`,
        ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
      },
    });
    current = req;
    // The server writes a comment every 15 s: a connection silent for three of them is gone (a suspended laptop, a dead route).
    req.setTimeout(idleMs, () => req.destroy(new Error(`the change stream was silent for ${idleMs / 1000} s`)));
    let over = false;
    const finish = (error: Error, giveUp = false) => {
      if (over) return;
      over = true;
      if (current === req) current = undefined;
      if (closed) return;
      if (giveUp) options.onError?.(error, undefined);
      else retry(error);
    };
    req.on('error', (error) => finish(error));
    req.on('response', (res: IncomingMessage) => {
      res.setEncoding('utf8');
      res.on('error', () => undefined);
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (chunk: string) => (body = (body + chunk).slice(0, 300)));
        res.on('close', () =>
          finish(
            new Error(`GET ${endpoint.pathname}: HTTP ${res.statusCode} ${body.trim()}`.trim()),
            [401, 403, 404].includes(res.statusCode ?? 0),
          ),
        );
        return;
      }
      const parser = new SseParser(onEvent);
      res.on('data', (chunk: string) => parser.push(chunk));
      res.on('close', () => finish(new Error('the change stream closed')));
    });
    req.end();
  }

  connect();
  return {
    get lastEventId() {
      return lastEventId;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      current?.destroy();
      current = undefined;
    },
  };
}

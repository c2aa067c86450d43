import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoreChange } from '../repository';
import { sseFrame } from './sse';

/** `GET /api/2.0/mlops/changes`: the store's change batches as Server-Sent Events (docs/tracking-rest.md). */
export const CHANGES_PATH = '/mlops/changes';

export interface ChangeFeedOptions {
  /** Events kept for reconnecting clients (default 1024). */
  readonly capacity?: number;
  /** A comment every so often keeps proxies and idle timers from closing the stream (default 15 s). */
  readonly heartbeatMs?: number;
  /** A client this far behind (bytes queued unsent) is dropped; it reconnects from its last id (default 8 MiB). */
  readonly maxQueuedBytes?: number;
}

interface Kept {
  readonly seq: number;
  readonly frame: string;
}

/** An event id: `<epoch>.<sequence>`; the epoch is new for every feed, so a restarted server is told apart. */
export function parseEventId(id: string | null | undefined): { epoch: string; seq: number } | undefined {
  const match = /^([0-9a-f]{1,64})\.(\d{1,15})$/.exec(id ?? '');
  return match ? { epoch: match[1]!, seq: Number(match[2]) } : undefined;
}

/**
 * The change log of one serving process: every batch the store emits gets the next sequence
 * number and is written to every open stream and kept in a ring buffer, so that a client
 * reconnecting with `Last-Event-ID` (or `?since=`) gets every event after it, none twice. An id
 * older than the buffer, of another epoch or unknown gets `event: reset` (reload everything). It
 * lives beside the server, never in the engine: the log is about connections, not the database.
 */
export class ChangeFeed {
  readonly epoch = randomBytes(8).toString('hex');
  private seq = 0;
  private readonly kept: (Kept | undefined)[];
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly subscription: { dispose(): void };
  private closed = false;

  constructor(
    subscribe: (listener: (changes: StoreChange[]) => void) => { dispose(): void },
    private readonly options: ChangeFeedOptions = {},
  ) {
    this.kept = new Array<Kept | undefined>(Math.max(1, options.capacity ?? 1024));
    this.subscription = subscribe((changes) => this.publish(changes));
  }

  /** Open streams; a closed connection leaves no trace (the tests count them). */
  get connections(): number {
    return this.clients.size;
  }

  private id(seq: number): string {
    return `${this.epoch}.${seq}`;
  }

  private publish(changes: readonly StoreChange[]): void {
    if (this.closed || changes.length === 0) return;
    const seq = ++this.seq;
    const frame = sseFrame('change', this.id(seq), JSON.stringify(changes));
    this.kept[seq % this.kept.length] = { seq, frame };
    for (const res of this.clients) this.write(res, frame);
  }

  /** The events after `seq`, when all of them are still kept. */
  private after(seq: number): string[] | undefined {
    if (seq > this.seq || seq < this.seq - this.kept.length) return undefined;
    const frames: string[] = [];
    for (let s = seq + 1; s <= this.seq; s++) {
      const kept = this.kept[s % this.kept.length];
      if (kept?.seq !== s) return undefined;
      frames.push(kept.frame);
    }
    return frames;
  }

  /** Answers one `GET` (token and host already checked): replays what the client missed, then follows. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const asked = req.headers['last-event-id'] ?? url.searchParams.get('since');
    const from = asked === null || asked === undefined || asked === '' ? undefined : parseEventId(String(asked));
    const replay = from === undefined ? [] : from.epoch === this.epoch ? this.after(from.seq) : undefined;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    if (this.closed) {
      res.end();
      return;
    }
    const position = JSON.stringify({ epoch: this.epoch, seq: this.seq });
    // A reset carries the current id, so the client goes on from here after reloading.
    const opening =
      replay === undefined ? [sseFrame('reset', this.id(this.seq), position)] : [...replay, sseFrame('ready', this.id(this.seq), position)];
    res.write(`retry: 1000\n\n${opening.join('')}`);
    this.clients.add(res);
    res.once('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopHeartbeat();
    });
    this.heartbeat ??= setInterval(() => {
      for (const client of this.clients) this.write(client, ': ping\n\n');
    }, this.options.heartbeatMs ?? 15_000).unref();
  }

  private write(res: ServerResponse, text: string): void {
    if (res.destroyed || res.writableEnded) return;
    res.write(text);
    if (res.writableLength > (this.options.maxQueuedBytes ?? 8 * 1024 * 1024)) res.destroy();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Ends every stream and stops following the store; further connections are ended at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.subscription.dispose();
    this.stopHeartbeat();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}

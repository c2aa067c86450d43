import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { StoreChange, TrackingApi } from '../../client/src/core/tracking/repository';
import { ChangeFeed } from '../../client/src/core/tracking/rest/changeFeed';
import { followChanges, type ChangeStream } from '../../client/src/core/tracking/rest/changeStream';
import { startRestServer, type RestServer } from '../../client/src/core/tracking/rest/server';
import { SseParser, type SseEvent } from '../../client/src/core/tracking/rest/sse';

// The change stream (GET /api/2.0/mlops/changes) against a real local http server: the feed
// keeps a ring of recent batches; the client reconnects with Last-Event-ID after a dropped
// connection and must see every batch exactly once, in order, or a reset when they are gone.

/** What the store's onChange would be: batches published by the test, with the listener count kept. */
class FakeStore {
  readonly listeners = new Set<(changes: StoreChange[]) => void>();
  onChange = (listener: (changes: StoreChange[]) => void) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  emit(n: number): void {
    for (const l of this.listeners) l([{ kind: 'run', ids: [`run${n}`], op: 'create' }]);
  }
}

/** A TCP relay between the client and the server whose connections the test cuts, optionally after N more bytes. */
class Relay {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  port = 0;
  refusing = false;

  constructor(private readonly target: number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = connect(this.target, '127.0.0.1');
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      // The server answers only to its own Host (DNS rebinding): name it in the request the relay passes on.
      client.on('data', (chunk: Buffer) =>
        upstream.write(chunk.toString('latin1').replace(`Host: 127.0.0.1:${this.port}`, `Host: 127.0.0.1:${this.target}`), 'latin1'),
      );
      upstream.pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on('close', drop).on('error', drop);
      upstream.on('close', drop).on('error', drop);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Lets `bytes` more bytes through towards the client (mid-event, when it lands there), then cuts every connection. */
  cutAfter(bytes: number): Promise<void> {
    return new Promise((resolve) => {
      const pairs = [...this.pairs];
      if (pairs.length === 0) return resolve();
      for (const [client, upstream] of pairs) {
        upstream.unpipe(client);
        let left = bytes;
        const onData = (chunk: Buffer) => {
          if (left > 0) client.write(chunk.subarray(0, left));
          left -= chunk.length;
          if (left <= 0) {
            upstream.off('data', onData);
            client.end(() => {
              client.destroy();
              upstream.destroy();
              resolve();
            });
          }
        };
        upstream.on('data', onData);
        upstream.resume();
      }
    });
  }

  /** Stops passing anything to the client without closing: a connection that died silently (a suspended laptop). */
  stall(): void {
    for (const [client, upstream] of this.pairs) {
      upstream.unpipe(client);
      upstream.pause();
    }
    this.pairs.clear();
  }

  cutNow(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  get open(): number {
    return this.pairs.size;
  }

  close(): Promise<void> {
    this.cutNow();
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const until = async (what: string, ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('change stream: SSE parsing', () => {
  it('splits lines on CR, LF and CRLF across chunks; skips comments; joins data lines; keeps the last id', () => {
    const events: SseEvent[] = [];
    const retries: number[] = [];
    const parser = new SseParser(
      (e) => events.push(e),
      (ms) => retries.push(ms),
    );
    const text =
      '\uFEFF: hello\r\nretry: 1500\r\n\r\nid: a.1\nevent: change\ndata: [1,\ndata:2]\n\n: ping\n\nid: a.2\rdata: x\r\rdata: no id\n\n';
    for (let i = 0; i < text.length; i += 3) parser.push(text.slice(i, i + 3));
    assert.deepEqual(retries, [1500]);
    assert.deepEqual(events, [
      { event: 'change', data: '[1,\n2]', lastEventId: 'a.1' },
      { event: 'message', data: 'x', lastEventId: 'a.2' },
      { event: 'message', data: 'no id', lastEventId: 'a.2' },
    ]);
  });

  it('does not dispatch an event whose blank line has not arrived', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push('id: a.1\nevent: change\ndata: [');
    parser.push('1]\n');
    assert.equal(events.length, 0);
    parser.push('\n');
    assert.equal(events.length, 1);
  });
});

describe('change stream: server and client', () => {
  let dir: string;
  let store: FakeStore;
  let feed: ChangeFeed;
  let server: RestServer;
  let relay: Relay;
  const streams: ChangeStream[] = [];

  const start = async (capacity?: number, heartbeatMs = 50) => {
    store = new FakeStore();
    feed = new ChangeFeed(store.onChange, { ...(capacity ? { capacity } : {}), heartbeatMs });
    server = await startRestServer({
      api: {} as TrackingApi,
      artifactRoot: dir,
      changes: (req, res, url) => feed.serve(req, res, url),
    });
    relay = new Relay(server.port);
    await relay.start();
  };

  const follow = (received: string[], resets: { n: number }, idleMs?: number) => {
    const stream = followChanges({
      url: `http://127.0.0.1:${relay.port}`,
      token: server.token,
      backoff: { initialMs: 20, maxMs: 100 },
      ...(idleMs ? { idleMs } : {}),
      onChanges: (changes) => received.push(...changes.flatMap((c) => c.ids)),
      onReset: () => resets.n++,
    });
    streams.push(stream);
    return stream;
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-changes-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    feed.close();
    await relay.close();
    await server.close();
  });

  it('refuses a request without the token (401, MLflow error body) and another verb (405)', async () => {
    await start();
    const noToken = await fetch(`${server.url}/api/2.0/mlops/changes`);
    assert.equal(noToken.status, 401);
    assert.equal(((await noToken.json()) as { error_code: string }).error_code, 'UNAUTHENTICATED');
    const post = await fetch(`${server.url}/api/2.0/mlops/changes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
    });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
    assert.equal(feed.connections, 0);
  });

  it('is absent from a server answering as MLflow only', async () => {
    await start();
    const only = await startRestServer({
      api: {} as TrackingApi,
      artifactRoot: dir,
      mlflowOnly: true,
      changes: (q, s, u) => feed.serve(q, s, u),
    });
    try {
      const r = await fetch(`${only.url}/api/2.0/mlops/changes`, { headers: { Authorization: `Bearer ${only.token}` } });
      assert.equal(r.status, 404);
    } finally {
      await only.close();
    }
  });

  it('delivers every event exactly once, in order, across connections dropped mid-stream', async () => {
    await start();
    const received: string[] = [];
    const resets = { n: 0 };
    const stream = follow(received, resets);
    await until('the first connection', () => feed.connections === 1 && stream.lastEventId !== '');
    let n = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 5; i++) store.emit(++n);
      // Cut in the middle of the next event (its first 7 bytes get through) or between events.
      const cut = relay.cutAfter(round % 2 === 0 ? 7 : 0);
      store.emit(++n);
      await cut;
      // Written while the client is away: the server keeps them for the reconnection.
      relay.refusing = round % 3 === 1;
      for (let i = 0; i < 4; i++) store.emit(++n);
      await new Promise((r) => setTimeout(r, round % 3 === 1 ? 80 : 0));
      relay.refusing = false;
      await until(`round ${round}'s events`, () => received.length === n);
    }
    assert.deepEqual(
      received,
      Array.from({ length: n }, (_, i) => `run${i + 1}`),
    );
    assert.equal(resets.n, 0);
    assert.match(stream.lastEventId, new RegExp(`^${feed.epoch}\\.${n}$`));
  });

  it('gives up a connection that went silent (no heartbeat) and catches up on a new one', async () => {
    await start(undefined, 60_000);
    const received: string[] = [];
    const resets = { n: 0 };
    follow(received, resets, 300);
    await until('the connection', () => feed.connections === 1);
    store.emit(1);
    await until('the first event', () => received.length === 1);
    relay.stall();
    store.emit(2);
    store.emit(3);
    await until('the events written while the connection was silent', () => received.length === 3);
    assert.deepEqual(received, ['run1', 'run2', 'run3']);
    assert.equal(resets.n, 0);
  });

  it('says reset when the missed events are older than the buffer, then goes on', async () => {
    await start(4);
    const received: string[] = [];
    const resets = { n: 0 };
    follow(received, resets);
    await until('the connection', () => feed.connections === 1);
    store.emit(1);
    await until('the first event', () => received.length === 1);
    relay.refusing = true;
    relay.cutNow();
    await until('the drop', () => feed.connections === 0);
    for (let i = 2; i <= 10; i++) store.emit(i);
    relay.refusing = false;
    await until('the reset', () => resets.n === 1);
    store.emit(11);
    await until('the next event', () => received.length === 2);
    assert.deepEqual(received, ['run1', 'run11']);
  });

  it('says reset to an id of another server instance (epoch) and replays from ?since= of this one', async () => {
    await start();
    store.emit(1);
    store.emit(2);
    store.emit(3);
    const read = (query: string) =>
      new Promise<string>((resolve, reject) => {
        get(
          `${server.url}/api/2.0/mlops/changes${query}`,
          { headers: { Authorization: `Bearer ${server.token}` } },
          (res: IncomingMessage) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
              if (/event: (ready|reset)/.test(text)) {
                res.destroy();
                resolve(text);
              }
            });
          },
        ).on('error', reject);
      });
    const other = await read('?since=0123456789abcdef.2');
    assert.match(other, new RegExp(`id: ${feed.epoch}\\.3\\nevent: reset\\n`));
    assert.doesNotMatch(other, /event: change/);
    const since = await read(`?since=${feed.epoch}.1`);
    assert.deepEqual(
      [...since.matchAll(/id: (\S+)\nevent: (\w+)/g)].map((m) => `${m[2]} ${m[1]}`),
      [`change ${feed.epoch}.2`, `change ${feed.epoch}.3`, `ready ${feed.epoch}.3`],
    );
    const ahead = await read(`?since=${feed.epoch}.9`);
    assert.match(ahead, /event: reset/);
    await until('the connections to close', () => feed.connections === 0);
  });

  it('sends heartbeats, keeps no listener per connection, and ends streams when it closes', async () => {
    await start();
    for (let i = 0; i < 20; i++) {
      const stream = follow([], { n: 0 });
      await until('a connection', () => stream.lastEventId !== '');
      stream.close();
    }
    await until('every connection to close', () => feed.connections === 0);
    assert.equal(store.listeners.size, 1, 'the feed follows the store once, whatever the connections');

    const text = await new Promise<string>((resolve, reject) => {
      get(`${server.url}/api/2.0/mlops/changes`, { headers: { Authorization: `Bearer ${server.token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.includes(': ping\n\n')) feed.close();
        });
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    assert.match(text, /^retry: 1000\n\nid: [0-9a-f]+\.0\nevent: ready\n/);
    assert.equal(feed.connections, 0);
    assert.equal(store.listeners.size, 0, 'a closed feed no longer follows the store');
  });
});

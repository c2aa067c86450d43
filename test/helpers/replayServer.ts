import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange } from './mlflowTraffic';

/**
 * Stands in for the server a recording was made against: each request gets the answer recorded
 * for a request of the same shape (method, path and query with digests and long numbers left
 * out, the JSON body's field names and its search filter), in recorded order; once those are used
 * up, the last again (a repeated look). A request with no recorded shape gets a 599 and is listed
 * in `unmatched`.
 */
export interface ReplayServer {
  readonly url: string;
  readonly unmatched: string[];
  /** How many recorded exchanges were answered at least once. */
  used(): number;
  close(): Promise<void>;
}

const normalize = (text: string): string => text.replace(/[0-9a-f]{64}/g, '<hex>').replace(/\d{10,}/g, '<n>');

export function shapeOf(method: string, path: string, body: unknown): string {
  let tail = '';
  // An artifact upload's body is file content, whatever it looks like.
  if (method !== 'PUT' && body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    tail = ` {${Object.keys(o).sort().join(',')}}${typeof o.filter === 'string' ? ` ${normalize(o.filter)}` : ''}`;
  }
  return `${method} ${normalize(decodeURIComponent(path))}${tail}`;
}

export async function startReplayServer(traffic: readonly Exchange[]): Promise<ReplayServer> {
  const queues = new Map<string, Exchange[]>();
  for (const x of traffic) {
    const key = shapeOf(x.method, x.path, x.request && 'json' in x.request ? x.request.json : undefined);
    queues.set(key, [...(queues.get(key) ?? []), x]);
  }
  const served = new Set<number>();
  const unmatched: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown;
      if ((req.headers['content-type'] ?? '').includes('json') && raw.length) body = JSON.parse(raw.toString('utf8'));
      const key = shapeOf(req.method ?? 'GET', req.url ?? '/', body);
      const queue = queues.get(key);
      const x = queue?.find((e) => !served.has(e.seq)) ?? queue?.at(-1);
      if (!x) {
        unmatched.push(key);
        res.writeHead(599, { 'Content-Type': 'application/json' }).end('{"error_code":"INTERNAL_ERROR","message":"not in the recording"}');
        return;
      }
      served.add(x.seq);
      const answer = x.response;
      if (answer && 'json' in answer) res.writeHead(x.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.json));
      else if (answer && 'text' in answer) res.writeHead(x.status, { 'Content-Type': 'application/octet-stream' }).end(answer.text);
      else res.writeHead(x.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    unmatched,
    used: () => served.size,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

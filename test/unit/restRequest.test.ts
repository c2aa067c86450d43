import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { retryNotice } from '../../client/src/cli/commands/trackingAccess';
import { MlflowError } from '../../client/src/core/tracking/repository/errors';
import { restApi } from '../../client/src/core/tracking/rest/client';
import {
  requestOptionsFromEnv,
  trackingRequest,
  TrackingAuthError,
  type RequestOptions,
  type RetryInfo,
} from '../../client/src/core/tracking/rest/request';

/** Small values, so every case runs in well under a second or two. */
const FAST: RequestOptions = { timeoutMs: 2000, maxRetries: 3, backoffFactorMs: 50, backoffJitterMs: 0, maxBackoffMs: 2000 };
const BOUND = { timeout: 15_000 };

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly seen: Seen[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records each request and lets `handler` answer it (the nth, from 0). */
async function serve(handler: Handler, port = 0): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      handler(req, res, seen.length - 1);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A port nothing listens on (it did a moment ago). */
async function closedPort(): Promise<number> {
  const server = await serve(() => undefined);
  await server.close();
  return server.port;
}

async function withServer<T>(handler: Handler, use: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await serve(handler);
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

const gaps = (seen: Seen[]) => seen.slice(1).map((s, i) => s.at - seen[i]!.at);

describe('trackingRequest: timeouts, retries and errors over real HTTP', () => {
  it('retries 503 with exponential backoff and then succeeds', BOUND, async () => {
    const retries: RetryInfo[] = [];
    await withServer(
      (_req, res, n) => (n < 2 ? json(res, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }) : json(res, 200, { ok: 1 })),
      async (server) => {
        const result = await trackingRequest('GET', `${server.url}/api/2.0/x?a=1`, {
          options: { ...FAST, backoffFactorMs: 100, onRetry: (info) => retries.push(info) },
        });
        assert.deepEqual(result, { ok: 1 });
        assert.equal(server.seen.length, 3);
        const [first, second] = gaps(server.seen);
        assert.ok(first! >= 90, `first wait ${first} ms`);
        assert.ok(second! >= 190, `second wait ${second} ms (doubled)`);
        assert.deepEqual(
          retries.map((r) => [r.method, r.path, r.attempt, r.maxAttempts, r.delayMs, r.reason]),
          [
            ['GET', '/api/2.0/x', 1, 4, 100, 'HTTP 503'],
            ['GET', '/api/2.0/x', 2, 4, 200, 'HTTP 503'],
          ],
        );
      },
    );
  });

  it('adds jitter, and caps the backoff', BOUND, async () => {
    const delays: number[] = [];
    await withServer(
      (_req, res, n) => (n < 3 ? json(res, 502, {}) : json(res, 200, {})),
      async (server) => {
        await trackingRequest('GET', server.url, {
          options: { ...FAST, backoffFactorMs: 40, backoffJitterMs: 30, maxBackoffMs: 100, onRetry: (i) => delays.push(i.delayMs) },
        });
      },
    );
    assert.equal(delays.length, 3);
    assert.ok(delays[0]! >= 40 && delays[0]! < 70, `${delays[0]}`);
    assert.ok(delays[1]! >= 80 && delays[1]! <= 100, `${delays[1]}`);
    assert.equal(delays[2], 100);
  });

  it('honours Retry-After on 429 (delta-seconds), capped at the max backoff', BOUND, async () => {
    await withServer(
      (_req, res, n) => (n === 0 ? json(res, 429, { error_code: 'REQUEST_LIMIT_EXCEEDED' }, { 'Retry-After': '1' }) : json(res, 200, {})),
      async (server) => {
        await trackingRequest('POST', `${server.url}/api/2.0/mlflow/runs/log-batch`, {
          body: {},
          options: { ...FAST, backoffFactorMs: 10 },
        });
        assert.equal(server.seen.length, 2);
        assert.ok(gaps(server.seen)[0]! >= 900, `waited ${gaps(server.seen)[0]} ms`);
      },
    );
    await withServer(
      (_req, res, n) => (n === 0 ? json(res, 503, {}, { 'Retry-After': '120' }) : json(res, 200, {})),
      async (server) => {
        await trackingRequest('GET', server.url, { options: { ...FAST, backoffFactorMs: 10, maxBackoffMs: 300 } });
        const [wait] = gaps(server.seen);
        assert.ok(wait! >= 280 && wait! < 1500, `waited ${wait} ms, capped at 300`);
      },
    );
  });

  it('honours Retry-After as an HTTP-date', BOUND, async () => {
    const delays: number[] = [];
    await withServer(
      (_req, res, n) => (n === 0 ? json(res, 503, {}, { 'Retry-After': new Date(Date.now() + 2000).toUTCString() }) : json(res, 200, {})),
      async (server) => {
        await trackingRequest('GET', server.url, { options: { ...FAST, backoffFactorMs: 10, onRetry: (i) => delays.push(i.delayMs) } });
      },
    );
    // The date has whole seconds: between 1 and 2 s from when it was written.
    assert.ok(delays[0]! > 900 && delays[0]! <= 2000, `${delays[0]}`);
  });

  it('retries a refused connection until a server listens on the port', BOUND, async () => {
    const port = await closedPort();
    const reasons: string[] = [];
    const call = trackingRequest('GET', `http://127.0.0.1:${port}/api/2.0/mlflow/experiments/get?experiment_id=0`, {
      options: { ...FAST, maxRetries: 8, backoffFactorMs: 100, onRetry: (i) => reasons.push(i.reason) },
    });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const server = await serve((_req, res) => json(res, 200, { experiment: { experiment_id: '0' } }), port);
    try {
      assert.deepEqual(await call, { experiment: { experiment_id: '0' } });
      assert.ok(reasons.length >= 2, `${reasons.length} retries`);
      assert.ok(reasons.every((r) => /ECONNREFUSED/.test(r)));
      assert.equal(server.seen.length, 1);
    } finally {
      await server.close();
    }
  });

  it('gives up on a port that stays closed, naming the URL and the attempts', BOUND, async () => {
    const port = await closedPort();
    await assert.rejects(
      trackingRequest('POST', `http://127.0.0.1:${port}/api/2.0/mlflow/runs/create`, {
        body: {},
        options: { ...FAST, maxRetries: 2, backoffFactorMs: 10 },
      }),
      (error: Error) => {
        assert.match(error.message, new RegExp(`^POST http://127\\.0\\.0\\.1:${port}/api/2\\.0/mlflow/runs/create: `));
        assert.match(error.message, /connection refused \(ECONNREFUSED\)/);
        assert.match(error.message, /gave up after 3 attempts/);
        return true;
      },
    );
  });

  it('retries a dropped connection (socket closed without an answer)', BOUND, async () => {
    await withServer(
      (req, res, n) => (n === 0 ? req.socket.destroy() : json(res, 200, { ok: true })),
      async (server) => {
        assert.deepEqual(await trackingRequest('GET', server.url, { options: FAST }), { ok: true });
        assert.equal(server.seen.length, 2);
      },
    );
  });

  it('times out a server that never answers, retries, and says so', BOUND, async () => {
    const reasons: string[] = [];
    await withServer(
      () => undefined,
      async (server) => {
        const started = Date.now();
        await assert.rejects(
          trackingRequest('GET', `${server.url}/api/2.0/mlflow/runs/get?run_id=r`, {
            options: { ...FAST, timeoutMs: 200, maxRetries: 2, backoffFactorMs: 10, onRetry: (i) => reasons.push(i.reason) },
          }),
          (error: Error) => {
            assert.match(error.message, /^GET http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/mlflow\/runs\/get: timed out after 0\.2 s/);
            assert.match(error.message, /gave up after 3 attempts/);
            return true;
          },
        );
        assert.equal(server.seen.length, 3);
        assert.ok(Date.now() - started >= 3 * 190);
        assert.deepEqual(reasons, ['timed out after 0.2 s', 'timed out after 0.2 s']);
      },
    );
  });

  it('turns a 400 MLflow error into an MlflowError at once', BOUND, async () => {
    await withServer(
      (_req, res) => json(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing value for required parameter' }),
      async (server) => {
        await assert.rejects(
          trackingRequest('POST', server.url, { body: { a: 1 }, options: FAST }),
          (error: unknown) =>
            error instanceof MlflowError &&
            error.errorCode === 'INVALID_PARAMETER_VALUE' &&
            error.message === 'Missing value for required parameter',
        );
        assert.equal(server.seen.length, 1);
      },
    );
  });

  it('keeps the server message and code of a 500 after the last retry', BOUND, async () => {
    await withServer(
      (_req, res) => json(res, 500, { error_code: 'INTERNAL_ERROR', message: 'database is locked' }),
      async (server) => {
        await assert.rejects(
          trackingRequest('GET', server.url, { options: { ...FAST, maxRetries: 2, backoffFactorMs: 10 } }),
          (error: unknown) =>
            error instanceof MlflowError && error.errorCode === 'INTERNAL_ERROR' && error.message === 'database is locked',
        );
        assert.equal(server.seen.length, 3);
      },
    );
    await withServer(
      (_req, res) => json(res, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'try later' }),
      async (server) => {
        await assert.rejects(
          trackingRequest('GET', `${server.url}/api/2.0/x`, { options: { ...FAST, maxRetries: 1, backoffFactorMs: 10 } }),
          /^Error: GET http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/x: HTTP 503 TEMPORARILY_UNAVAILABLE: try later \(after 2 attempts\)$/,
        );
      },
    );
  });

  it('quotes a body that is not JSON, first 200 characters', BOUND, async () => {
    const page = `<html>${'x'.repeat(500)}</html>`;
    await withServer(
      (_req, res) => {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end(page);
      },
      async (server) => {
        await assert.rejects(trackingRequest('GET', server.url, { options: { ...FAST, maxRetries: 0 } }), (error: Error) => {
          assert.ok(error.message.includes(`HTTP 502 ${JSON.stringify(`${page.slice(0, 200)}…`)}`), error.message);
          return true;
        });
      },
    );
  });

  it('refuses 401 and 403 with TrackingAuthError, and does not retry', BOUND, async () => {
    for (const status of [401, 403]) {
      await withServer(
        (_req, res) => json(res, status, { error_code: 'UNAUTHENTICATED', message: 'bad token' }),
        async (server) => {
          await assert.rejects(trackingRequest('GET', server.url, { auth: { token: 't' }, options: FAST }), (error: unknown) => {
            assert.ok(error instanceof TrackingAuthError);
            assert.equal(error.status, status);
            assert.equal(error.server, server.url);
            assert.equal(
              error.message,
              `the tracking server at ${server.url} refused the credentials (HTTP ${status}: UNAUTHENTICATED: bad token)`,
            );
            return true;
          });
          assert.equal(server.seen.length, 1);
        },
      );
    }
  });

  it('takes 501 as an answer: no retry, NOT_IMPLEMENTED in the error', BOUND, async () => {
    await withServer(
      (_req, res) => json(res, 501, { error_code: 'NOT_IMPLEMENTED', message: 'multipart upload is not supported' }),
      async (server) => {
        await assert.rejects(
          trackingRequest('POST', `${server.url}/api/2.0/mlflow-artifacts/mpu/create/a`, { body: {}, options: FAST }),
          /HTTP 501 NOT_IMPLEMENTED: multipart upload is not supported$/,
        );
        assert.equal(server.seen.length, 1);
      },
    );
  });

  it('sends the same POST body and headers on every attempt', BOUND, async () => {
    const body = { run_id: 'r1', metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 0 }], note: 'é 😀' };
    await withServer(
      (_req, res, n) => (n < 2 ? json(res, 503, {}) : json(res, 200, {})),
      async (server) => {
        await trackingRequest('POST', `${server.url}/api/2.0/mlflow/runs/log-batch`, { body, auth: { token: 'tok' }, options: FAST });
        assert.equal(server.seen.length, 3);
        for (const seen of server.seen) {
          assert.equal(seen.method, 'POST');
          assert.equal(seen.url, '/api/2.0/mlflow/runs/log-batch');
          assert.deepEqual(JSON.parse(seen.body), body);
          assert.equal(seen.body, server.seen[0]!.body);
          assert.equal(seen.headers.authorization, 'Bearer tok');
          assert.equal(seen.headers['content-type'], 'application/json');
        }
      },
    );
  });

  it('sends basic auth as Basic base64(user:password)', BOUND, async () => {
    await withServer(
      (_req, res) => json(res, 200, {}),
      async (server) => {
        await trackingRequest('GET', server.url, { auth: { username: 'ann', password: 'p:ss é' }, options: FAST });
        assert.equal(server.seen[0]!.headers.authorization, `Basic ${Buffer.from('ann:p:ss é').toString('base64')}`);
        assert.equal(server.seen[0]!.headers['content-type'], undefined);
      },
    );
  });

  it('is what restApi uses: GET query, retries and MlflowErrors', BOUND, async () => {
    await withServer(
      (_req, res, n) =>
        n === 0
          ? json(res, 503, {})
          : n === 1
            ? json(res, 200, { run: { info: { run_id: 'r1' } } })
            : json(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Run 'nope' not found" }),
      async (server) => {
        const api = restApi(`${server.url}/`, { token: 'tok' }, { ...FAST, backoffFactorMs: 10 });
        // MLflow leaves empty lists out; the client puts them back (protoDefaults).
        assert.deepEqual(await api.getRun({ run_id: 'r1' }), {
          run: { info: { run_id: 'r1' }, data: { metrics: [], params: [], tags: [] }, inputs: { dataset_inputs: [] } },
        });
        assert.equal(server.seen[1]!.url, '/api/2.0/mlflow/runs/get?run_id=r1');
        await assert.rejects(
          api.getRun({ run_id: 'nope' }),
          (error: unknown) => error instanceof MlflowError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST',
        );
        assert.equal(server.seen.length, 3);
      },
    );
  });
});

describe('request options and the CLI notice', () => {
  it('reads MLflow’s MLFLOW_HTTP_REQUEST_* variables, with defaults', () => {
    const { onRetry, ...defaults } = requestOptionsFromEnv({});
    assert.equal(onRetry, undefined);
    assert.deepEqual(defaults, { timeoutMs: 30_000, maxRetries: 5, backoffFactorMs: 2000, backoffJitterMs: 1000, maxBackoffMs: 60_000 });
    assert.deepEqual(
      requestOptionsFromEnv({
        MLFLOW_HTTP_REQUEST_TIMEOUT: '120',
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: '7',
        MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.5',
        MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0',
      }),
      { timeoutMs: 120_000, maxRetries: 7, backoffFactorMs: 500, backoffJitterMs: 0, maxBackoffMs: 60_000 },
    );
    assert.throws(
      () => requestOptionsFromEnv({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: '2.5' }),
      /MLFLOW_HTTP_REQUEST_MAX_RETRIES must be a whole number/,
    );
    assert.throws(
      () => requestOptionsFromEnv({ MLFLOW_HTTP_REQUEST_TIMEOUT: 'soon' }),
      /MLFLOW_HTTP_REQUEST_TIMEOUT must be a number of seconds/,
    );
  });

  it('tells stderr which call is retried, when and why', () => {
    const err: string[] = [];
    retryNotice({ cwd: '.', out: () => undefined, err: (text) => err.push(text) })({
      method: 'POST',
      path: '/api/2.0/mlflow/runs/search',
      attempt: 1,
      maxAttempts: 6,
      delayMs: 2000,
      reason: 'HTTP 503',
    });
    assert.deepEqual(err, ['mlops: tracking endpoint: retrying POST /api/2.0/mlflow/runs/search in 2.0 s (HTTP 503; attempt 2 of 6)\n']);
  });
});

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from '../helpers/restStore';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A raw HTTP exchange, so tests control every header (fetch would set Host itself). */
function send(
  server: Server,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
const errorCode = (text: string) => (JSON.parse(text) as { error_code: string }).error_code;

describe('REST endpoint: security', () => {
  let server: Server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('listens on loopback with a generated 64-hex token', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.token, /^[0-9a-f]{64}$/);
  });

  it('answers 401 without the token or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer nope', `Basic ${server.token}`, `Bearer ${server.token}x`, 'Bearer ']) {
      const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
      const r = await new Promise<{ status: number; text: string; auth?: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/api/2.0/mlflow/experiments/search',
            headers: { Host: `localhost:${server.port}`, ...headers },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text, auth: res.headers['www-authenticate'] }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(r.status, 401, String(authorization));
      assert.equal(errorCode(r.text), 'UNAUTHENTICATED');
      assert.equal(r.auth, 'Bearer');
    }
  });

  it('refuses a Host that is not a loopback name (DNS rebinding) with 403', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      `localhost:${server.port + 1}`,
      '127.0.0.2',
      `localhost.evil.example:${server.port}`,
    ]) {
      const r = await send(server, { path: '/api/2.0/mlflow/experiments/search', headers: { Host: host } });
      assert.equal(r.status, 403, host);
      assert.equal(errorCode(r.text), 'PERMISSION_DENIED');
    }
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, `LOCALHOST:${server.port}`]) {
      assert.equal((await send(server, { path: '/api/2.0/mlflow/experiments/search', headers: { Host: host } })).status, 200, host);
    }
  });

  it('sends no CORS headers and refuses preflights', async () => {
    const preflight = await send(server, {
      method: 'OPTIONS',
      path: '/api/2.0/mlflow/runs/create',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 405);
    const plain = await send(server, { path: '/api/2.0/mlflow/experiments/search', headers: { Origin: 'https://evil.example' } });
    for (const r of [preflight, plain])
      assert.ok(!Object.keys(r.headers).some((h) => h.startsWith('access-control-')), JSON.stringify(r.headers));
  });

  it('refuses a form or text body (what a page can post without a preflight)', async () => {
    const r = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/experiments/create',
      body: '{"name":"csrf"}',
      headers: { 'Content-Type': 'text/plain' },
    });
    assert.equal(r.status, 400);
    assert.equal((await server.repo.searchExperiments({})).experiments.length, 1);
  });
});

describe('REST endpoint: bad requests get MLflow-shaped 4xx and write nothing', () => {
  let server: Server;
  before(async () => {
    server = await startTestServer({ maxBodyBytes: 64 * 1024 });
  });
  after(() => server.stop());

  const runCount = () => Number(server.db.exec('SELECT COUNT(*) FROM runs')[0]?.values[0]?.[0]);
  const metricCount = () => Number(server.db.exec('SELECT COUNT(*) FROM metrics')[0]?.values[0]?.[0]);

  it('malformed JSON, a non-object body, wrong types and missing fields', async () => {
    const cases: [string, { body: string; headers: Record<string, string> }, RegExp][] = [
      [
        '/api/2.0/mlflow/runs/create',
        { body: '{"experiment_id": "0",', headers: { 'Content-Type': 'application/json' } },
        /Malformed JSON/,
      ],
      ['/api/2.0/mlflow/runs/create', json([1, 2]), /must be a JSON object/],
      [
        '/api/2.0/mlflow/runs/create',
        json({ experiment_id: 0 }),
        /Invalid value 0 for parameter 'experiment_id' supplied. Hint: Value was of type 'int'/,
      ],
      ['/api/2.0/mlflow/runs/create', json({ start_time: 'soon' }), /parameter 'start_time'/],
      ['/api/2.0/mlflow/runs/create', json({ tags: { key: 'a' } }), /parameter 'tags'/],
      ['/api/2.0/mlflow/experiments/create', json({}), /Missing value for required parameter 'name'/],
      ['/api/2.0/mlflow/experiments/create', json({ name: '' }), /Missing value for required parameter 'name'/],
      [
        '/api/2.0/mlflow/runs/log-batch',
        json({ run_id: 'x', metrics: [{ key: 'a', value: 'high', timestamp: 1 }] }),
        /parameter 'metrics\[0\]\.value'/,
      ],
      [
        '/api/2.0/mlflow/runs/log-batch',
        json({ run_id: 'x', metrics: [{ key: 'a', value: 1 }] }),
        /Missing value for required parameter 'metrics\[0\]\.timestamp'/,
      ],
      ['/api/2.0/mlflow/runs/search', json({ experiment_ids: ['0'], filter: 'metrics.a >' }), /Invalid filter/],
    ];
    for (const [p, req, message] of cases) {
      const r = await send(server, { method: 'POST', path: p, ...req });
      assert.equal(r.status, 400, `${p} ${req.body}: ${r.text}`);
      const body = JSON.parse(r.text) as { error_code: string; message: string };
      assert.equal(body.error_code, 'INVALID_PARAMETER_VALUE');
      assert.match(body.message, message);
    }
    assert.equal(runCount(), 0);
  });

  it('an oversized body is cut off with 413 and nothing is written', async () => {
    const { run } = await server.repo.createRun({ experiment_id: '0' });
    const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: `metric_with_a_long_name_${i}`, value: i, timestamp: i, step: i }));
    const r = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/runs/log-batch',
      ...json({ run_id: run.info.run_id, metrics }),
    }).catch((e: Error) => ({ status: -1, text: e.message, headers: {} }));
    assert.equal(r.status, 413, r.text);
    assert.equal(errorCode(r.text), 'BAD_REQUEST');
    assert.equal(metricCount(), 0);
    // The server stays up and answers the next request.
    assert.equal((await send(server, { path: '/api/2.0/mlflow/experiments/search' })).status, 200);
  });

  it('a batch that fails validation half way writes none of it', async () => {
    const { run } = await server.repo.createRun({ experiment_id: '0' });
    const metrics = [
      { key: 'ok', value: 1, timestamp: 1 },
      { key: 'bad*key', value: 2, timestamp: 1 },
    ];
    const r = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/runs/log-batch',
      ...json({ run_id: run.info.run_id, metrics, params: [{ key: 'p', value: '1' }] }),
    });
    assert.equal(r.status, 400);
    assert.deepEqual(server.repo.getRun({ run_id: run.info.run_id }).run.data, {
      metrics: [],
      params: [],
      tags: server.repo.getRun({ run_id: run.info.run_id }).run.data.tags,
    });
  });

  it('unknown endpoints are 404 ENDPOINT_NOT_FOUND, wrong verbs 405', async () => {
    const missing = await send(server, { path: '/api/2.0/mlflow/runs/teleport' });
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing.text), 'ENDPOINT_NOT_FOUND');
    const verb = await send(server, { method: 'GET', path: '/api/2.0/mlflow/runs/create' });
    assert.equal(verb.status, 405);
    assert.equal(verb.headers.allow, 'POST');
    const notFound = await send(server, { path: '/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef' });
    assert.equal(notFound.status, 404);
    assert.equal(errorCode(notFound.text), 'RESOURCE_DOES_NOT_EXIST');
  });
  it('deep nesting, invalid UTF-8 and bare NaN are 400s, not 500s (issue 20)', async () => {
    const { run } = await server.repo.createRun({ experiment_id: '0' });
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    for (const [p, field] of [
      ['/api/2.0/mlflow/runs/delete', 'run_id'],
      ['/api/2.0/mlflow/experiments/create', 'name'],
      ['/api/2.0/mlflow/runs/search', 'experiment_ids'],
      ['/api/2.0/mlflow/registered-models/create', 'name'],
    ] as const) {
      for (const depth of [101, 3000, 5000, 20_000]) {
        const r = await send(server, {
          method: 'POST',
          path: p,
          body: `{"${field}": ${deep(depth)}}`,
          headers: { 'Content-Type': 'application/json' },
        });
        assert.equal(r.status, 400, `${p} at depth ${depth}: ${r.text.slice(0, 200)}`);
        assert.equal(errorCode(r.text), 'INVALID_PARAMETER_VALUE');
        assert.match(JSON.parse(r.text).message as string, /more than 100 levels deep/);
      }
    }
    // 100 levels is still read (and refused for its type, quoting the value).
    const hundred = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/runs/delete',
      body: `{"run_id": ${deep(99)}}`,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(hundred.status, 400);
    assert.match(JSON.parse(hundred.text).message as string, /Invalid value \[\[\[.*for parameter 'run_id'/);
    const key = Buffer.concat([
      Buffer.from(`{"run_id": "${run.info.run_id}", "key": "a`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('", "value": "1"}'),
    ]);
    const utf8 = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/runs/log-parameter',
      body: key,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(utf8.status, 400, utf8.text);
    assert.match(JSON.parse(utf8.text).message as string, /not valid UTF-8/);
    const surrogate = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/runs/log-parameter',
      body: `{"run_id": "${run.info.run_id}", "key": "p", "value": "a\\ud800"}`,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(surrogate.status, 400, surrogate.text);
    assert.match(JSON.parse(surrogate.text).message as string, /lone UTF-16 surrogate/);
    const nan = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/runs/log-metric',
      body: `{"run_id": "${run.info.run_id}", "key": "m", "value": NaN, "timestamp": 1}`,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(nan.status, 400, nan.text);
    assert.match(JSON.parse(nan.text).message as string, /must be quoted: "NaN"/);
    // Quoted, as protobuf writes them, non-finite values are accepted and read back as sent.
    for (const [value, step] of [
      ['NaN', 1],
      ['Infinity', 2],
      ['-Infinity', 3],
    ] as const) {
      const ok = await send(server, {
        method: 'POST',
        path: '/api/2.0/mlflow/runs/log-metric',
        ...json({ run_id: run.info.run_id, key: 'm', value, timestamp: 1, step }),
      });
      assert.equal(ok.status, 200, ok.text);
    }
    assert.deepEqual(
      server.repo.getMetricHistory({ run_id: run.info.run_id, metric_key: 'm' }).metrics.map((m) => [m.value, m.step]),
      [
        ['NaN', 1],
        ['Infinity', 2],
        ['-Infinity', 3],
      ],
    );
    // Strings that JS reads as numbers and protobuf does not: hex, spaces in an int64, an overflowing double.
    for (const body of [
      { value: '0x10', timestamp: 1 },
      { value: 1, timestamp: ' 7 ' },
      { value: '1e400', timestamp: 1 },
    ]) {
      const r = await send(server, {
        method: 'POST',
        path: '/api/2.0/mlflow/runs/log-metric',
        ...json({ run_id: run.info.run_id, key: 'h', ...body }),
      });
      assert.equal(r.status, 400, JSON.stringify(body));
    }
    assert.equal(metricCount(), 3);
  });

  it('a URL past the header limit gets a 431 in MLflow shape, and the server goes on', async () => {
    for (const n of [17_000, 100_000, 2_000_000]) {
      const r = await send(server, { path: `/api/2.0/mlflow/runs/get?run_id=${'a'.repeat(n)}` });
      assert.equal(r.status, 431, `${n}: ${r.text}`);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(errorCode(r.text), 'INVALID_PARAMETER_VALUE');
      assert.match(JSON.parse(r.text).message as string, /longer than the \d+ bytes/);
    }
    assert.ok(
      server.logged.some((l) => /refused before routing: 431/.test(l)),
      server.logged.join('\n'),
    );
    assert.equal((await send(server, { path: '/api/2.0/mlflow/experiments/search' })).status, 200);
  });

  it('tags without a value are stored with an empty one, as protobuf reads them', async () => {
    const created = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/experiments/create',
      ...json({ name: 'no-values', tags: [{ key: 'k' }] }),
    });
    assert.equal(created.status, 200, created.text);
    const id = (JSON.parse(created.text) as { experiment_id: string }).experiment_id;
    const tagged = await send(server, {
      method: 'POST',
      path: '/api/2.0/mlflow/experiments/set-experiment-tag',
      ...json({ experiment_id: id, key: 'other' }),
    });
    assert.equal(tagged.status, 200, tagged.text);
    assert.deepEqual(server.repo.getExperiment({ experiment_id: id }).experiment.tags, [
      { key: 'k', value: '' },
      { key: 'other', value: '' },
    ]);
  });
});

describe('REST endpoint: mlflow-artifacts proxy', () => {
  let server: Server;
  let outside: string;
  before(async () => {
    server = await startTestServer();
    outside = mkdtempSync(path.join(tmpdir(), 'mlops-outside-'));
    writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  });
  after(async () => {
    await server.stop();
    rmSync(outside, { recursive: true, force: true });
  });

  const A = '/api/2.0/mlflow-artifacts/artifacts';

  it('uploads, lists and downloads under the artifact root', async () => {
    const put = await send(server, { method: 'PUT', path: `${A}/1/abc/artifacts/model/MLmodel`, body: 'flavors: {}\n' });
    assert.equal(put.status, 200, put.text);
    await send(server, { method: 'PUT', path: `${A}/1/abc/artifacts/feature%20importance.png`, body: Buffer.from([137, 80, 78, 71]) });
    assert.equal(readFileSync(path.join(server.artifactRoot, '1/abc/artifacts/model/MLmodel'), 'utf8'), 'flavors: {}\n');
    const list = await send(server, { path: `${A}?path=1/abc/artifacts` });
    assert.deepEqual(JSON.parse(list.text), {
      files: [
        { path: 'feature importance.png', is_dir: false, file_size: 4 },
        { path: 'model', is_dir: true },
      ],
    });
    const get = await send(server, { path: `${A}/1/abc/artifacts/model/MLmodel` });
    assert.equal(get.status, 200);
    assert.equal(get.text, 'flavors: {}\n');
    assert.equal(get.headers['content-type'], 'application/octet-stream');
    assert.match(String(get.headers['content-disposition']), /^attachment/);
    assert.equal((await send(server, { path: `${A}/1/nothing` })).status, 404);
    assert.ok(
      !readdirSync(path.join(server.artifactRoot, '1/abc/artifacts/model')).some((f) => f.endsWith('.upload')),
      'no temp files left',
    );
  });

  it('refuses traversal: .., encoded .., absolute, backslashes and symlinks out of the root', async () => {
    for (const p of [
      `${A}/../secret.txt`,
      `${A}/a/%2e%2e/%2e%2e/secret.txt`,
      `${A}/a/%252e%252e/x`,
      `${A}/%2Fetc%2Fpasswd`,
      `${A}/a%5C..%5Cx`,
      `${A}/a/..%2F..%2Fx`,
    ]) {
      const r = await send(server, { method: 'PUT', path: p, body: 'x' });
      assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.status} ${r.text}`);
    }
    for (const query of ['../', '/etc', 'a/../../x'])
      assert.equal((await send(server, { path: `${A}?path=${encodeURIComponent(query)}` })).status, 400, query);
    mkdirSync(server.artifactRoot, { recursive: true });
    symlinkSync(outside, path.join(server.artifactRoot, 'escape'));
    const read = await send(server, { path: `${A}/escape/secret.txt` });
    assert.equal(read.status, 403);
    const write = await send(server, { method: 'PUT', path: `${A}/escape/planted.txt`, body: 'x' });
    assert.equal(write.status, 403);
    assert.ok(!existsSync(path.join(outside, 'planted.txt')));
    assert.equal((await send(server, { path: `${A}?path=escape` })).status, 403);
    assert.equal((await send(server, { path: `${A}?path=escape/` })).status, 403);
    // A symlink to a file outside, inside an artifact folder: not read, not overwritten through, not listed.
    mkdirSync(path.join(server.artifactRoot, 'folder'), { recursive: true });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(server.artifactRoot, 'folder', 'link.txt'));
    writeFileSync(path.join(server.artifactRoot, 'folder', 'real.txt'), 'real');
    assert.equal((await send(server, { path: `${A}/folder/link.txt` })).status, 403);
    const overwrite = await send(server, { method: 'PUT', path: `${A}/folder/link.txt`, body: 'overwritten' });
    assert.equal(overwrite.status, 403, overwrite.text);
    assert.equal(readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'secret');
    assert.deepEqual(JSON.parse((await send(server, { path: `${A}?path=folder` })).text), {
      files: [{ path: 'real.txt', is_dir: false, file_size: 4 }],
    });
  });

  it("lists a run's artifacts through artifacts/list", async () => {
    const { run } = await server.repo.createRun({ experiment_id: '0' });
    const root = new URL(run.info.artifact_uri).pathname;
    mkdirSync(path.join(root, 'model'), { recursive: true });
    writeFileSync(path.join(root, 'model', 'model.pkl'), 'abc');
    const top = JSON.parse((await send(server, { path: `/api/2.0/mlflow/artifacts/list?run_id=${run.info.run_id}` })).text) as {
      root_uri: string;
      files: unknown[];
    };
    assert.equal(top.root_uri, run.info.artifact_uri);
    assert.deepEqual(top.files, [{ path: 'model', is_dir: true }]);
    const inner = JSON.parse(
      (await send(server, { path: `/api/2.0/mlflow/artifacts/list?run_uuid=${run.info.run_id}&path=model` })).text,
    ) as { files: unknown[] };
    assert.deepEqual(inner.files, [{ path: 'model/model.pkl', is_dir: false, file_size: 3 }]);
    assert.equal((await send(server, { path: `/api/2.0/mlflow/artifacts/list?run_id=${run.info.run_id}&path=../..` })).status, 400);
    symlinkSync(outside, path.join(root, 'escape'));
    assert.equal((await send(server, { path: `/api/2.0/mlflow/artifacts/list?run_id=${run.info.run_id}&path=escape` })).status, 403);
    const listed = JSON.parse((await send(server, { path: `/api/2.0/mlflow/artifacts/list?run_id=${run.info.run_id}` })).text) as {
      files: unknown[];
    };
    assert.deepEqual(listed.files, [{ path: 'model', is_dir: true }], 'the symlink is not listed');
  });
});

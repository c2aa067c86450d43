import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, startServe } from '../helpers/cli';
import { compareAnswers, IdMap, readTraffic } from '../helpers/mlflowTraffic';

// What the MLflow 2.12.2 Python client sent to MLflow 2.12.2's own tracking server, and what that
// server answered (test/fixtures/mlflow-2.12.2/client-traffic.jsonl, recorded in a session by
// client_scenario.py through recordingProxy.ts). Sent again, request by request, to mlops serve
// --mlflow-only, every answer must carry what MLflow's answered: the same status, the same values.
const TRAFFIC = readTraffic(path.join(ROOT, 'test/fixtures/mlflow-2.12.2/client-traffic.jsonl'));

/** Stand-in bytes for a recorded binary upload (only its size and digest were kept). */
const filler = (size: number, seq: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seq) & 255));

describe('the real MLflow 2.12.2 client, replayed against mlops serve --mlflow-only', () => {
  let scratch: string;
  let serve: ChildProcess;
  let url = '';
  let token = '';
  const answers = new Map<number, { status: number; json?: unknown; body: Buffer }>();
  const ids = new IdMap();
  const differences: string[] = [];
  const extras = new Set<string>();
  const uploaded = new Map<string, Buffer>();

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-replay-client-'));
    ({ process: serve, url, token } = await startServe(path.join(scratch, 'ws'), ['--mlflow-only']));
    for (const x of TRAFFIC) {
      const target = ids.apply(x.path);
      let body: Buffer | undefined;
      let type = 'application/octet-stream';
      if (x.request && 'json' in x.request) {
        body = Buffer.from(ids.apply(JSON.stringify(x.request.json)));
        type = 'application/json';
      } else if (x.request && 'text' in x.request) body = Buffer.from(x.request.text);
      else if (x.request) body = filler(x.request.bytes, x.seq);
      if (x.method === 'PUT' && body) uploaded.set(target, body);
      const answer = await fetch(`${url}${target}`, {
        method: x.method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': type } : {}) },
        ...(body ? { body: new Uint8Array(body) } : {}),
      });
      const data = Buffer.from(await answer.arrayBuffer());
      let json: unknown;
      if (x.response && 'json' in x.response) {
        json = JSON.parse(data.toString('utf8'));
        ids.learn(x.response.json, json);
        const { differs, extra } = compareAnswers(x.response.json as never, json as never, ids);
        differences.push(...differs.map((d) => `#${x.seq} ${x.method} ${x.path.split('?')[0]} ${d}`));
        for (const e of extra) extras.add(`${x.path.split('?')[0]} ${e}`);
      }
      answers.set(x.seq, { status: answer.status, json, body: data });
    }
  });

  after(() => {
    if (serve.exitCode === null) serve.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('replays every recorded call: experiments, runs, metrics, artifacts, the model and the registry', () => {
    assert.equal(TRAFFIC.length, 73);
    const paths = new Set(TRAFFIC.map((x) => `${x.method} ${x.path.split('?')[0]!.replace(/\/artifacts\/.*$/, '/artifacts/...')}`));
    for (const expected of [
      'POST /api/2.0/mlflow/runs/log-batch',
      'POST /api/2.0/mlflow/runs/log-model',
      'POST /api/2.0/mlflow-artifacts/mpu/create/1/...',
      'POST /api/2.0/mlflow/model-versions/transition-stage',
      'GET /api/2.0/mlflow/registered-models/alias',
      'DELETE /api/2.0/mlflow/registered-models/alias',
    ])
      assert.ok(
        [...paths].some((p) => p.startsWith(expected.replace('/1/...', ''))),
        expected,
      );
  });

  it('answers each call with the status MLflow answered', () => {
    const wrong = TRAFFIC.filter((x) => answers.get(x.seq)?.status !== x.status).map(
      (x) => `#${x.seq} ${x.method} ${x.path}: MLflow ${x.status}, ours ${answers.get(x.seq)?.status}`,
    );
    assert.deepEqual(wrong, []);
  });

  it('answers with the values MLflow answered (ids mapped, server times and error wording aside)', () => {
    assert.deepEqual(differences, []);
  });

  it('falls back from multipart upload as MLflow does: 501 NOT_IMPLEMENTED, then one PUT of the file', () => {
    const mpu = TRAFFIC.find((x) => x.path.includes('/mpu/create/'))!;
    assert.equal(answers.get(mpu.seq)?.status, 501);
    assert.equal((answers.get(mpu.seq)?.json as { error_code: string }).error_code, 'NOT_IMPLEMENTED');
    const put = TRAFFIC.find((x) => x.seq > mpu.seq && x.method === 'PUT')!;
    assert.match(put.path, /data\/big\.bin$/);
    assert.equal(answers.get(put.seq)?.status, 200);
  });

  it('keeps a 4,000-emoji param, which MLflow counts as 4,000 characters', () => {
    const param = TRAFFIC.find((x) => x.path.endsWith('/runs/log-parameter'))!;
    assert.equal(answers.get(param.seq)?.status, 200);
    const run = [...answers.values()]
      .map((a) => a.json as { run?: { data?: { params?: { key: string; value: string }[] } } } | undefined)
      .find((j) => j?.run?.data?.params?.some((p) => p.key === 'emoji'));
    assert.equal([...run!.run!.data!.params!.find((p) => p.key === 'emoji')!.value].length, 4000);
  });

  it('downloads what was uploaded, byte for byte', () => {
    const downloads = TRAFFIC.filter((x) => x.method === 'GET' && /\/mlflow-artifacts\/artifacts\/.+/.test(x.path.split('?')[0]!));
    assert.ok(downloads.length >= 10);
    for (const x of downloads) {
      const sent = uploaded.get(ids.apply(x.path));
      assert.ok(sent, `${x.path} was uploaded in the replay`);
      assert.ok(answers.get(x.seq)!.body.equals(sent), x.path);
      if (x.response && 'text' in x.response) assert.equal(answers.get(x.seq)!.body.toString('utf8'), x.response.text);
    }
  });

  it("adds no field beyond MLflow's own messages: only version aliases in searches, and a new run's inputs", () => {
    // Both are fields of MLflow's protos (ModelVersion.aliases, Run.inputs) that 2.12.2's server
    // leaves out in these answers; its client reads them when a server sends them.
    assert.deepEqual([...extras].sort(), [
      '/api/2.0/mlflow/model-versions/search .model_versions[0].aliases',
      '/api/2.0/mlflow/registered-models/get-latest-versions .model_versions[0].aliases',
      '/api/2.0/mlflow/registered-models/search .registered_models[0].latest_versions[0].aliases',
      '/api/2.0/mlflow/runs/create .run.inputs',
    ]);
  });
});

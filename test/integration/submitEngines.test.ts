import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CLI_JS, ROOT } from '../helpers/cli';
import { startOpenApiServer, type OpenApiServer, type RecordedRequest } from '../helpers/openApiServer';

// `mlops submit kfp|argo` against local servers that check every request against the engines'
// published OpenAPI documents (test/fixtures/engines): KFP's API v2beta1 (2.17.0) and the Argo
// Server's. There is no cluster here; the shapes are the contract.

const CHURN = path.join(ROOT, 'samples/churn/churn.pipeline.yaml');
const KFP_API = path.join(ROOT, 'test/fixtures/engines/kfp/kfp_api_single_file.swagger.json');
const ARGO_API = path.join(ROOT, 'test/fixtures/engines/argo-workflows/swagger.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The built bin, run asynchronously: the fake engine answers in this same process. */
function mlops(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], {
      cwd: ROOT,
      env: { ...process.env, KF_PIPELINES_TOKEN: undefined, ARGO_TOKEN: undefined, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A KFP API that knows the pipelines in `existing` (name -> id) and no experiments. */
function kfpAnswers(existing: Record<string, string>) {
  return (r: RecordedRequest): { status: number; body: unknown } => {
    if (r.headers.authorization !== 'Bearer kfp-token') return { status: 401, body: { code: 16, message: 'Unauthenticated: bad token' } };
    switch (r.operationId) {
      case 'PipelineService_GetPipelineByName': {
        const id = existing[decodeURIComponent(r.path.split('/').pop()!)];
        return id
          ? { status: 200, body: { pipeline_id: id, name: 'customer-churn' } }
          : { status: 404, body: { code: 5, message: 'not found' } };
      }
      case 'UploadPipeline':
        return { status: 200, body: { pipeline_id: 'p-new', name: r.query.name } };
      case 'UploadPipelineVersion':
        return { status: 200, body: { pipeline_id: r.query.pipelineid, pipeline_version_id: 'v-2', name: r.query.name } };
      case 'ExperimentService_ListExperiments':
        return { status: 200, body: {} };
      case 'ExperimentService_CreateExperiment':
        return { status: 200, body: { experiment_id: 'e-1', display_name: (r.json as Json).display_name } };
      case 'RunService_CreateRun':
        return { status: 200, body: { run_id: 'r-42', display_name: (r.json as Json).display_name } };
      default:
        return { status: 404, body: { code: 5, message: `unexpected ${r.operationId}` } };
    }
  };
}

async function withServer<T>(server: OpenApiServer, work: (s: OpenApiServer) => Promise<T>): Promise<T> {
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

describe('mlops submit kfp and argo, request shapes against the engines’ OpenAPI documents', () => {
  it('has stand-in engines that catch a misshapen request: an unknown field, query parameter, form field or route', async () => {
    await withServer(await startOpenApiServer(KFP_API, () => ({ status: 200, body: {} })), async (kfp) => {
      const post = (path: string, body: unknown) =>
        fetch(`${kfp.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await post('/apis/v2beta1/runs', { display_name: 'x', runtime_config: { parameters: { a: 1 }, extra: 2 } });
      await post('/apis/v2beta1/runs?bogus=1', { display_name: 'x' });
      const form = new FormData();
      form.append('file', new Blob(['x']), 'a.yaml');
      await fetch(`${kfp.url}/apis/v2beta1/pipelines/upload?name=x`, { method: 'POST', body: form });
      await fetch(`${kfp.url}/apis/v2beta1/nothing`);
      assert.deepEqual(kfp.problems, [
        'POST /apis/v2beta1/runs: body does not fit RunService_CreateRun: data/runtime_config must NOT have additional properties',
        'POST /apis/v2beta1/runs: query parameter bogus is not declared',
        'POST /apis/v2beta1/pipelines/upload: form field file is not declared',
        `GET /apis/v2beta1/nothing: no such operation in ${KFP_API}`,
      ]);
    });
  });

  it('uploads a new pipeline, makes the experiment, and starts a run with typed parameters; prints the run URL', async () => {
    await withServer(await startOpenApiServer(KFP_API, kfpAnswers({})), async (kfp) => {
      const r = await mlops(
        ['submit', 'kfp', CHURN, '--host', `${kfp.url}/`, '--experiment', 'churn', '--param', 'epochs=500', '--param', 'test_size=0.3'],
        { KF_PIPELINES_TOKEN: 'kfp-token' },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(kfp.problems, []);
      assert.deepEqual(
        kfp.requests.map((q) => q.operationId),
        [
          'PipelineService_GetPipelineByName',
          'UploadPipeline',
          'ExperimentService_ListExperiments',
          'ExperimentService_CreateExperiment',
          'RunService_CreateRun',
        ],
      );
      const upload = kfp.requests[1]!;
      assert.equal(upload.query.name, 'customer-churn');
      const spec = parse(upload.form!.uploadfile!.text) as Json;
      assert.equal(spec.schemaVersion, '2.1.0');
      assert.equal(
        spec.root.inputDefinitions.parameters.epochs.defaultValue,
        300,
        'the file keeps its defaults; the run carries the values',
      );
      assert.deepEqual(JSON.parse(kfp.requests[2]!.query.filter!), {
        predicates: [{ key: 'display_name', operation: 'EQUALS', string_value: 'churn' }],
      });
      const run = kfp.requests[4]!.json as Json;
      assert.deepEqual(run.pipeline_version_reference, { pipeline_id: 'p-new' });
      assert.equal(run.experiment_id, 'e-1');
      assert.deepEqual(run.runtime_config, { parameters: { epochs: 500, test_size: 0.3 } });
      assert.match(run.display_name, /^customer-churn \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.match(r.stdout, new RegExp(`Uploaded pipeline customer-churn; run r-42 started\\.\\nRun: ${kfp.url}/#/runs/details/r-42\\n`));
    });
  });

  it('uploads a new version when KFP has the pipeline, and runs that version', async () => {
    await withServer(await startOpenApiServer(KFP_API, kfpAnswers({ 'customer-churn': 'p-7' })), async (kfp) => {
      const r = await mlops(['submit', 'kfp', CHURN, '--host', kfp.url, '--run-name', 'nightly', '--json'], {
        KF_PIPELINES_TOKEN: 'kfp-token',
      });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(kfp.problems, []);
      assert.deepEqual(
        kfp.requests.map((q) => q.operationId),
        ['PipelineService_GetPipelineByName', 'UploadPipelineVersion', 'RunService_CreateRun'],
      );
      assert.equal(kfp.requests[1]!.query.pipelineid, 'p-7');
      assert.match(kfp.requests[1]!.query.name!, /^customer-churn-\d{4}-/);
      const run = kfp.requests[2]!.json as Json;
      assert.deepEqual(run.pipeline_version_reference, { pipeline_id: 'p-7', pipeline_version_id: 'v-2' });
      assert.equal(run.display_name, 'nightly');
      assert.deepEqual(JSON.parse(r.stdout), {
        pipelineId: 'p-7',
        pipelineVersionId: 'v-2',
        runId: 'r-42',
        url: `${kfp.url}/#/runs/details/r-42`,
        newPipeline: false,
      });
    });
  });

  it('says what is wrong when KFP refuses the token, cannot be reached, or the host is not a URL', async () => {
    await withServer(await startOpenApiServer(KFP_API, kfpAnswers({})), async (kfp) => {
      const refused = await mlops(['submit', 'kfp', CHURN, '--host', kfp.url], { KF_PIPELINES_TOKEN: 'wrong' });
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /Kubeflow Pipelines at http:\/\/127\.0\.0\.1:\d+ refused the request \(HTTP 401: Unauthenticated: bad token\); the token was not accepted: set KF_PIPELINES_TOKEN/,
      );
      assert.equal(kfp.requests.length, 1, 'nothing is uploaded after a refusal');
    });
    const port = await closedPort();
    const unreachable = await mlops(['submit', 'kfp', CHURN, '--host', `http://127.0.0.1:${port}`], { KF_PIPELINES_TOKEN: 'kfp-token' });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, new RegExp(`cannot reach Kubeflow Pipelines at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    const notUrl = await mlops(['submit', 'kfp', CHURN, '--host', 'kubeflow'], {});
    assert.equal(notUrl.code, 1);
    assert.match(notUrl.stderr, /--host must be a URL such as https:\/\/kubeflow\.example\.com, got "kubeflow"/);
    const noHost = await mlops(['submit', 'kfp', CHURN], {});
    assert.equal(noHost.code, 2);
    assert.match(noHost.stderr, /--host URL/);
  });

  it('creates the Argo Workflow in the namespace with a WorkflowCreateRequest, token as given, and prints its URL', async () => {
    const answer = (r: RecordedRequest) =>
      r.headers.authorization === 'Bearer argo-token'
        ? { status: 200, body: { metadata: { name: 'customer-churn-x7k2p', namespace: 'ml' } } }
        : { status: 401, body: { code: 16, message: 'token not valid' } };
    await withServer(await startOpenApiServer(ARGO_API, answer), async (argo) => {
      const r = await mlops(['submit', 'argo', CHURN, '--server', argo.url, '--namespace', 'ml', '--param', 'epochs=50'], {
        ARGO_TOKEN: 'Bearer argo-token',
      });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(argo.problems, []);
      assert.equal(argo.requests.length, 1);
      const request = argo.requests[0]!;
      assert.equal(request.operationId, 'WorkflowService_CreateWorkflow');
      assert.equal(request.path, '/api/v1/workflows/ml');
      const body = request.json as Json;
      assert.equal(body.namespace, 'ml');
      assert.equal(body.workflow.kind, 'Workflow');
      assert.equal(body.workflow.spec.arguments.parameters.find((p: Json) => p.name === 'epochs').value, '50');
      assert.match(
        r.stdout,
        new RegExp(`Workflow customer-churn-x7k2p submitted in ml\\.\\nWorkflow: ${argo.url}/workflows/ml/customer-churn-x7k2p\\n`),
      );

      const refused = await mlops(['submit', 'argo', CHURN, '--server', argo.url], { ARGO_TOKEN: 'nope' });
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /the Argo Server at .* refused the request \(HTTP 401: token not valid\); the token was not accepted: set ARGO_TOKEN/,
      );
      assert.equal(argo.requests.at(-1)!.path, '/api/v1/workflows/argo', 'the default namespace is argo');
    });
    const port = await closedPort();
    const unreachable = await mlops(['submit', 'argo', CHURN, '--server', `http://127.0.0.1:${port}`], {});
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /cannot reach the Argo Server at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});

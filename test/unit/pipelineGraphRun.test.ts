import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GraphRunHandler, LATEST, type ShownPipeline } from '../../client/src/core/graph/graphRunHandler';
import { mutedEdges, nodeRun } from '../../client/src/core/graph/runState';
import { metricsFileKeys, stepFile } from '../../client/src/core/graph/stepDetails';
import type { StepRecord, TrackingApi } from '../../client/src/core/tracking/repository';
import { openTrackingStore, type TrackingStore } from '../../client/src/core/tracking/store';
import { pipelineGraph, type PipelineGraph } from '../../common/src/pipeline/graph';
import type { GraphHostMessage, GraphRunState, StepDetails } from '../../common/src/protocol/graphMessages';
import { formatBytes } from '../../common/src/text/bytes';
import { stateLine } from '../../webviews/src/graph/nodeText';
import { detailsLines } from '../../webviews/src/graph/tooltipText';
import { parse } from '../helpers/documents';
import { tempWorkspace } from '../helpers/trackingFiles';

const CHURN = readFileSync(path.resolve(__dirname, '../../samples/churn/churn.pipeline.yaml'), 'utf8');

const step = (over: Partial<StepRecord>): StepRecord => ({ run_id: 'r', step_id: 's', status: 'PENDING', cached: false, ...over });

describe('pipeline graph: node states of a run', () => {
  it('maps each step status to a node state, a reused execution to cached naming its run', () => {
    const names = new Map([['origin-run-id', 'eager-owl-1']]);
    assert.equal(nodeRun(step({ status: 'PENDING' }), 1, names).state, 'pending');
    assert.equal(nodeRun(step({ status: 'RUNNING', start_time: 5 }), 1, names).state, 'running');
    assert.equal(nodeRun(step({ status: 'SKIPPED', message: 'needs a' }), 1, names).message, 'needs a');
    const cached = nodeRun(step({ status: 'SUCCEEDED', cached: true, cached_from: 'origin-run-id' }), 1, names);
    assert.deepEqual(cached, { state: 'cached', cachedFrom: { runId: 'origin-run-id', runName: 'eager-owl-1' }, hasLog: true });
    assert.equal(stateLine(cached, 0), 'cached from eager-owl-1');
    const unnamed = nodeRun(step({ status: 'SUCCEEDED', cached: true, cached_from: '0123456789abcdef' }), 1, new Map());
    assert.equal(stateLine(unnamed, 0), 'cached from 01234567');
  });

  it('shows the attempt only while a step may retry or did retry, and the elapsed time ticking while it runs', () => {
    const retrying = nodeRun(step({ status: 'RUNNING', start_time: 1_000, attempts: 2, log_path: '/l' }), 3, new Map());
    assert.equal(retrying.attempt, 2);
    assert.equal(retrying.maxAttempts, 3);
    assert.equal(stateLine(retrying, 13_500), 'running · 12 s · attempt 2/3');
    assert.equal(stateLine(retrying, 14_500), 'running · 13 s · attempt 2/3');
    const once = nodeRun(step({ status: 'RUNNING', start_time: 1_000, attempts: 1 }), 1, new Map());
    assert.equal(once.attempt, undefined, 'no attempt for a step without retries');
    const failed = nodeRun(
      step({ status: 'FAILED', start_time: 0, end_time: 400, exit_code: 2, attempts: 1, message: 'exited with code 2' }),
      1,
      new Map(),
    );
    assert.equal(stateLine(failed, 99_999), 'failed · exit 2 · 0.4 s');
    assert.equal(failed.message, 'exited with code 2');
    assert.equal(failed.hasLog, false);
  });

  it('mutes every edge below a failed step, and no other', () => {
    const graph = pipelineGraph(parse(CHURN));
    const muted = mutedEdges(graph, ['preprocess'])
      .map((e) => `${e.from}->${e.to}`)
      .sort();
    assert.deepEqual(muted, ['preprocess->evaluate', 'preprocess->train', 'train->evaluate']);
    assert.deepEqual(mutedEdges(graph, ['evaluate']), []);
    assert.deepEqual(mutedEdges(graph, []), []);
  });
});

describe('pipeline graph: tooltip details', () => {
  const { dirs, cleanup } = tempWorkspace();
  after(cleanup);

  it('sizes files and folders, and tells patterns and missing paths apart', async () => {
    const root = dirs();
    mkdirSync(path.join(root, 'data', 'nested'), { recursive: true });
    writeFileSync(path.join(root, 'data', 'a.csv'), 'x'.repeat(1500));
    writeFileSync(path.join(root, 'data', 'nested', 'b.csv'), 'y'.repeat(500));
    assert.deepEqual(await stepFile(path.join(root, 'data', 'a.csv'), root, 'train'), {
      name: 'train',
      path: 'data/a.csv',
      kind: 'file',
      size: 1500,
    });
    assert.deepEqual(await stepFile(path.join(root, 'data'), root), { path: 'data', kind: 'folder', size: 2000 });
    assert.deepEqual(await stepFile(path.join(root, 'data', '*.csv'), root), { path: 'data/*.csv', kind: 'glob' });
    assert.deepEqual(await stepFile('/nowhere/x.csv', root), { path: '/nowhere/x.csv', kind: 'missing' });
    assert.equal(formatBytes(1500), '1.5 KB');
    assert.equal(formatBytes(3 * 1024 * 1024), '3 MB');
  });

  it('reads the metric keys a step wrote to its metrics file, skipping bad lines', async () => {
    const file = path.join(dirs(), 'train.metrics.jsonl');
    writeFileSync(file, '{"key":"loss","value":0.5,"step":1}\nnot json\n{"key":"loss","value":0.4,"step":2}\n{"key":"acc","value":0.9}');
    assert.deepEqual([...(await metricsFileKeys(file))].sort(), ['acc', 'loss']);
    assert.deepEqual([...(await metricsFileKeys(path.join(dirs(), 'none.jsonl')))], []);
  });

  it('lists description, image, files with sizes, cache key and both kinds of metrics as text lines', () => {
    const details: StepDetails = {
      stepId: 'train',
      description: 'Fit <b>it</b>',
      image: 'python:3.11',
      inputs: [{ path: 'data/train.csv', kind: 'file', size: 2048 }],
      outputs: [{ name: 'model', path: 'models/m.json', kind: 'missing' }],
      cacheKey: 'abcdef0123456789abcdef',
      metrics: [{ key: 'loss', value: 0.123456 }],
      runMetrics: [{ key: 'auc', value: 0.84 }],
    };
    const lines = detailsLines('train', undefined, { state: 'succeeded', startTime: 0, endTime: 1200, hasLog: true }, details, 0);
    const text = lines.map((l) => `${l.kind}|${l.label ?? ''}|${l.text}`);
    assert.deepEqual(text, [
      'title||train',
      'state||succeeded · 1.2 s',
      'text||Fit <b>it</b>',
      'text|Image:|python:3.11',
      'section||Inputs',
      'item||data/train.csv (2 KB)',
      'section||Outputs',
      'item|model:|models/m.json (not there)',
      'text|Cache key:|abcdef0123456789',
      'section||Metrics logged by this step',
      'item|loss:|0.1235',
      'section||Run metrics not traced to a step',
      'item|auc:|0.84',
      'hint||Click: open log · right-click: Run Step',
    ]);
    const cached = detailsLines(
      'evaluate',
      undefined,
      { state: 'cached', cachedFrom: { runId: 'abc123', runName: 'brave-wolf' }, hasLog: true },
      undefined,
      0,
    );
    assert.deepEqual(
      cached.map((l) => `${l.label ?? ''}|${l.text}`),
      ['|evaluate', '|cached from brave-wolf', 'Reused run id:|abc123', '|Reading inputs and outputs…'],
    );
  });
});

describe('pipeline graph: the run handler over a real store', () => {
  const { dirs, cleanup } = tempWorkspace();
  let store: TrackingStore;
  let api: TrackingApi;
  let workspace: string;
  let graph: PipelineGraph;
  const posted: GraphHostMessage[] = [];
  let handler: GraphRunHandler;
  let experimentId: string;

  const lastState = (): GraphRunState | null | undefined => {
    for (let i = posted.length - 1; i >= 0; i--) {
      const m = posted[i]!;
      if (m.type === 'runState') return m.payload;
    }
    return undefined;
  };
  const until = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(ok(), `${what}; last posted: ${JSON.stringify(posted.at(-1))}`);
  };
  const newRun = async (name: string, file = 'churn.pipeline.yaml', start = Date.now()) => {
    const { run } = await api.createRun({
      experiment_id: experimentId,
      run_name: name,
      start_time: start,
      tags: [{ key: 'mlops.pipelineFile', value: file }],
    });
    return run.info.run_id;
  };

  before(async () => {
    workspace = dirs();
    store = await openTrackingStore({ workspaceDir: workspace, inProcess: true });
    api = store.api;
    store.onChange((batch) => handler?.onStoreChange(batch));
    experimentId = (await api.createExperiment({ name: 'churn' })).experiment_id;
    graph = pipelineGraph(parse(CHURN));
    writeFileSync(path.join(workspace, 'churn.pipeline.yaml'), CHURN);
    handler = new GraphRunHandler({
      api: async () => api,
      post: (m) => posted.push(m),
      log: (m) => assert.fail(m),
      workspaceDir: workspace,
    });
  });
  after(async () => {
    handler.dispose();
    await store.close();
    cleanup();
  });

  const shown = (): ShownPipeline => ({
    file: path.join(workspace, 'churn.pipeline.yaml'),
    relative: 'churn.pipeline.yaml',
    text: CHURN,
    graph,
  });

  it('shows the latest run of the file live: steps start, finish and fail as the store records them', async () => {
    const first = await newRun('first-run', 'churn.pipeline.yaml', 1_000);
    await newRun('other-pipeline', 'other.pipeline.yaml', 2_000);
    await handler.setPipeline(shown());
    const runs = posted.find((m) => m.type === 'runs');
    assert.ok(runs?.type === 'runs');
    assert.deepEqual(
      runs.payload.runs.map((r) => r.name),
      ['first-run'],
    );
    assert.equal(runs.payload.selected, LATEST);
    assert.equal(lastState()?.run.runId, first);

    for (const id of graph.nodes.map((n) => n.id)) await api.upsertStep({ run_id: first, step_id: id, status: 'PENDING', cached: false });
    await api.upsertStep({
      run_id: first,
      step_id: 'training_set',
      status: 'RUNNING',
      start_time: Date.now(),
      cached: false,
      log_path: '/tmp/l.log',
    });
    await until('training_set running', () => lastState()?.steps['training_set']?.state === 'running');
    assert.equal(lastState()?.steps['evaluate']?.state, 'pending');

    await api.upsertStep({ run_id: first, step_id: 'training_set', status: 'SUCCEEDED', end_time: Date.now(), cached: false });
    await api.upsertStep({ run_id: first, step_id: 'preprocess', status: 'FAILED', cached: false, message: 'exited with code 1' });
    await api.upsertStep({ run_id: first, step_id: 'train', status: 'SKIPPED', cached: false });
    // The last write: a redraw may fall between two of them.
    await until('train skipped', () => lastState()?.steps['train']?.state === 'skipped');
    const state = lastState()!;
    assert.equal(state.steps['training_set']?.state, 'succeeded');
    assert.equal(state.steps['preprocess']?.state, 'failed');
    assert.deepEqual(state.mutedEdges.map((e) => `${e.from}->${e.to}`).sort(), [
      'preprocess->evaluate',
      'preprocess->train',
      'train->evaluate',
    ]);
    assert.deepEqual(await handler.logOf('training_set'), { file: '/tmp/l.log' });
  });

  it('follows a new run while "latest" is picked, names the run cached steps came from, and opens the original log', async () => {
    const before = (await api.searchRuns({ experiment_ids: [experimentId], filter: "attributes.run_name = 'first-run'" })).runs[0]!;
    await api.upsertStep({
      run_id: before.info.run_id,
      step_id: 'evaluate',
      status: 'SUCCEEDED',
      cached: false,
      log_path: '/tmp/evaluate.log',
    });
    const second = await newRun('second-run');
    await until('the new run shown', () => lastState()?.run.runId === second);
    await api.upsertStep({ run_id: second, step_id: 'evaluate', status: 'SUCCEEDED', cached: true, cached_from: before.info.run_id });
    await until('evaluate cached', () => lastState()?.steps['evaluate']?.state === 'cached');
    assert.deepEqual(lastState()?.steps['evaluate']?.cachedFrom, { runId: before.info.run_id, runName: 'first-run' });
    assert.deepEqual(await handler.logOf('evaluate'), { file: '/tmp/evaluate.log' });

    // A past run picked stays shown when another starts.
    await handler.select(before.info.run_id);
    assert.equal(lastState()?.run.runId, before.info.run_id);
    await newRun('third-run');
    await until('the picker lists the third run', () =>
      posted.some((m) => m.type === 'runs' && m.payload.runs.some((r) => r.name === 'third-run')),
    );
    assert.equal(lastState()?.run.runId, before.info.run_id);
  });

  it('answers a tooltip with the run params resolving inputs, sizes, and the metrics the step logged', async () => {
    const run = await newRun('metrics-run');
    await handler.select(run);
    await api.logBatch({
      run_id: run,
      metrics: [
        { key: 'loss', value: 0.3, timestamp: 1, step: 0 },
        { key: 'auc', value: 0.84, timestamp: 1, step: 0 },
      ],
    });
    const logDir = path.join(workspace, '.mlops', 'runs', run);
    mkdirSync(logDir, { recursive: true });
    writeFileSync(path.join(logDir, 'train.metrics.jsonl'), '{"key":"loss","value":0.3}\n');
    await api.upsertStep({
      run_id: run,
      step_id: 'train',
      status: 'SUCCEEDED',
      cached: false,
      cache_key: 'k'.repeat(64),
      log_path: path.join(logDir, 'train.log'),
    });
    mkdirSync(path.join(workspace, 'steps'), { recursive: true });
    writeFileSync(path.join(workspace, 'steps', 'train.py'), 'print(1)\n');
    await handler.refreshState();
    await handler.details('train');
    const answer = [...posted].reverse().find((m) => m.type === 'stepDetails');
    assert.ok(answer?.type === 'stepDetails');
    const d = answer.payload;
    assert.equal(d.stepId, 'train');
    assert.equal(d.image, 'python:3.11-slim', "the pipeline's image");
    assert.deepEqual(d.inputs[0], { path: 'steps/train.py', kind: 'file', size: 9 });
    assert.deepEqual(d.inputs[1], { path: 'data/train.csv', kind: 'missing' });
    assert.deepEqual(d.outputs, [{ name: 'model', path: 'models/model.json', kind: 'missing' }]);
    assert.equal(d.cacheKey, 'k'.repeat(64));
    assert.deepEqual(d.metrics, [{ key: 'loss', value: 0.3 }]);
    assert.deepEqual(d.runMetrics, [{ key: 'auc', value: 0.84 }]);
  });
});

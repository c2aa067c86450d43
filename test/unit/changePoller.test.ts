import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChangePoller,
  diffSnapshots,
  POLL_MAX_MS,
  POLL_MIN_MS,
  RECENT_RUNS,
  runState,
  snapshot,
  type Snapshot,
} from '../../client/src/core/tracking/remote/changePoller';
import type { Experiment, RegisteredModel, Run, StoreChange, TrackingApi } from '../../client/src/core/tracking/repository';

const run = (id: string, over: Partial<Run['info']> = {}, data: Partial<Run['data']> = {}): Run => ({
  info: {
    run_id: id,
    run_uuid: id,
    run_name: id,
    experiment_id: '1',
    user_id: 'u',
    status: 'RUNNING',
    start_time: 100,
    artifact_uri: `mlflow-artifacts:/1/${id}/artifacts`,
    lifecycle_stage: 'active',
    ...over,
  },
  data: { metrics: [], params: [], tags: [], ...data },
  inputs: { dataset_inputs: [] },
});

const experiment = (id: string, name: string): Experiment => ({
  experiment_id: id,
  name,
  artifact_location: '',
  lifecycle_stage: 'active',
  tags: [],
});

const model = (name: string, updated: number, stage = 'None', aliases: RegisteredModel['aliases'] = []): RegisteredModel => ({
  name,
  creation_timestamp: 1,
  last_updated_timestamp: updated,
  latest_versions: [
    { name, version: '1', creation_timestamp: 1, last_updated_timestamp: updated, current_stage: stage, source: 's', status: 'READY' },
  ] as RegisteredModel['latest_versions'],
  tags: [],
  aliases,
});

/** A server in memory: what the poller reads, and the calls it made. */
function fakeServer() {
  const state = {
    experiments: [experiment('1', 'churn')],
    runs: [] as Run[],
    models: [] as RegisteredModel[],
    fail: undefined as Error | undefined,
    calls: [] as { method: string; req: Record<string, unknown> }[],
  };
  const api = {
    searchExperiments: (req: Record<string, unknown>) => {
      state.calls.push({ method: 'searchExperiments', req });
      if (state.fail) return Promise.reject(state.fail);
      return Promise.resolve({ experiments: state.experiments });
    },
    searchRuns: (req: Record<string, unknown>) => {
      state.calls.push({ method: 'searchRuns', req });
      let runs = [...state.runs].sort((a, b) => (b.info.start_time ?? 0) - (a.info.start_time ?? 0));
      if (req.run_view_type !== 'ALL') runs = runs.filter((r) => r.info.lifecycle_stage === 'active');
      if (typeof req.filter === 'string' && req.filter.includes('RUNNING')) runs = runs.filter((r) => r.info.status === 'RUNNING');
      return Promise.resolve({ runs: runs.slice(0, Number(req.max_results)) });
    },
    searchRegisteredModels: (req: Record<string, unknown>) => {
      state.calls.push({ method: 'searchRegisteredModels', req });
      return Promise.resolve({ registered_models: state.models });
    },
  } as unknown as TrackingApi;
  return { state, api };
}

const snap = (runs: Run[], models: RegisteredModel[] = [], experiments: Experiment[] = [experiment('1', 'churn')]): Snapshot => ({
  experiments: new Map(experiments.map((e) => [e.experiment_id, e.name])),
  runs: new Map(runs.map((r) => [r.info.run_id, runState(r)])),
  models: new Map(models.map((m) => [m.name, `${m.last_updated_timestamp}|${m.latest_versions[0]?.current_stage}`])),
});

describe("change events from polling a team's server (changePoller)", () => {
  it('reports nothing on the first poll, nor when nothing changed', () => {
    const first = snap([run('a')], [model('churn', 1)]);
    assert.deepEqual(diffSnapshots(undefined, first), []);
    assert.deepEqual(diffSnapshots(first, snap([run('a')], [model('churn', 1)])), []);
  });

  it('turns the differences into the batches the workspace store emits', () => {
    const before = snap([run('a'), run('old', { status: 'FINISHED', start_time: 50 })], [model('churn', 1), model('gone', 1)]);
    const after = snap(
      [
        run('a', { status: 'FINISHED', end_time: 900 }, { metrics: [{ key: 'auc', value: 0.9, timestamp: 800, step: 0 }] }),
        run('b', { start_time: 200 }),
        run('old', { status: 'FINISHED', start_time: 50 }, { tags: [{ key: 'mlflow.note.content', value: 'hi' }] }),
      ],
      [model('churn', 2, 'Production'), model('fresh', 3)],
      [experiment('1', 'churn'), experiment('2', 'new')],
    );
    assert.deepEqual(diffSnapshots(before, after), [
      { kind: 'experiment', ids: ['2'], op: 'create' },
      { kind: 'run', ids: ['b'], op: 'create' },
      { kind: 'run', ids: ['a'], op: 'update' },
      { kind: 'metric', ids: ['a'], op: 'create' },
      { kind: 'tag', ids: ['old'], op: 'update' },
      { kind: 'model', ids: ['fresh'], op: 'create' },
      { kind: 'model', ids: ['churn'], op: 'update' },
      { kind: 'model', ids: ['gone'], op: 'delete' },
    ]);
  });

  it('a new metric point of a running run is a metric change; only the newest timestamp counts', () => {
    const point = (timestamp: number) => ({ key: 'loss', value: 1, timestamp, step: 0 });
    const before = snap([run('a', {}, { metrics: [point(10)] })]);
    assert.deepEqual(diffSnapshots(before, snap([run('a', {}, { metrics: [point(20)] })])), [{ kind: 'metric', ids: ['a'], op: 'create' }]);
    assert.deepEqual(diffSnapshots(before, snap([run('a', {}, { metrics: [point(10)] })])), []);
  });

  it('a deleted run is a delete, a restored one a create (its experiment relists); renamed and deleted experiments', () => {
    const before = snap([run('a'), run('b')], [], [experiment('1', 'churn'), experiment('3', 'temp')]);
    const after = snap([run('a', { lifecycle_stage: 'deleted' }), run('b')], [], [experiment('1', 'churn v2')]);
    assert.deepEqual(diffSnapshots(before, after), [
      { kind: 'experiment', ids: ['1'], op: 'update' },
      { kind: 'experiment', ids: ['3'], op: 'delete' },
      { kind: 'run', ids: ['a'], op: 'delete' },
    ]);
    assert.deepEqual(diffSnapshots(after, before).slice(2), [{ kind: 'run', ids: ['a'], op: 'create' }]);
  });

  it('a run gone from a partial page is deleted only when it is newer than the page', () => {
    const before = snap([run('new', { start_time: 500 }), run('old', { start_time: 10 })]);
    const pushedOut: Snapshot = { ...snap([run('new', { start_time: 500 })]), windowStart: 400 };
    assert.deepEqual(diffSnapshots(before, pushedOut), []);
    const gone: Snapshot = { ...snap([run('old', { start_time: 10 })]), windowStart: 5 };
    assert.deepEqual(diffSnapshots(before, gone), [{ kind: 'run', ids: ['new'], op: 'delete' }]);
    assert.deepEqual(diffSnapshots(before, snap([run('new', { start_time: 500 })])), [{ kind: 'run', ids: ['old'], op: 'delete' }]);
  });

  it("a step's nested run is also a step change of its parent, a monitor check's run a monitor change", () => {
    const step = run(
      's1',
      {},
      {
        tags: [
          { key: 'mlflow.parentRunId', value: 'p' },
          { key: 'mlops.step', value: 'train' },
        ],
      },
    );
    const check = run('c1', {}, { tags: [{ key: 'mlops.monitor', value: 'churn-drift' }] });
    const changes = diffSnapshots(snap([]), snap([step, check]));
    assert.deepEqual(changes, [
      { kind: 'run', ids: ['s1', 'c1'], op: 'create' },
      { kind: 'step', ids: ['p', 'train'], op: 'update' },
      { kind: 'monitor', ids: ['churn-drift'], op: 'create' },
    ]);
  });

  it('snapshot reads the active experiments, the newest runs of all of them (deleted too) and every running one', async () => {
    const { state, api } = fakeServer();
    state.experiments = [experiment('1', 'a'), experiment('2', 'b')];
    state.runs = [run('r1'), run('r2', { status: 'FINISHED', start_time: 300 })];
    state.models = [model('m', 5)];
    const s = await snapshot(api);
    assert.deepEqual([...s.runs.keys()].sort(), ['r1', 'r2']);
    assert.equal(s.windowStart, undefined);
    const searches = state.calls.filter((c) => c.method === 'searchRuns').map((c) => c.req);
    assert.deepEqual(searches[0], {
      experiment_ids: ['1', '2'],
      run_view_type: 'ALL',
      max_results: RECENT_RUNS,
      order_by: ['attributes.start_time DESC'],
    });
    assert.equal(searches[1]?.filter, "attributes.status = 'RUNNING'");
    assert.deepEqual(state.calls[0], { method: 'searchExperiments', req: { max_results: 1000, view_type: 'ACTIVE_ONLY' } });
    assert.deepEqual([...s.models.keys()], ['m']);
  });

  it('polls every 2 s while changes come and a view is visible, backs off to 30 s, and reports reachability', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { state, api } = fakeServer();
    state.runs = [run('a')];
    const batches: StoreChange[][] = [];
    const reach: [boolean, unknown][] = [];
    let visible = true;
    const poller = new ChangePoller(
      api,
      (c) => batches.push(c),
      () => visible,
      (ok, error) => reach.push([ok, error]),
    );
    const searches = () => state.calls.filter((c) => c.method === 'searchExperiments').length;
    const tick = async (ms: number) => {
      t.mock.timers.tick(ms);
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    try {
      await poller.poll();
      assert.equal(searches(), 1);
      assert.deepEqual(batches, []);
      assert.equal(poller.nextDelay, POLL_MIN_MS * 2, 'nothing changed: the wait doubles');

      state.runs = [run('a', { status: 'FINISHED', end_time: 5 })];
      await tick(POLL_MIN_MS * 2);
      assert.equal(searches(), 2);
      assert.deepEqual(batches, [[{ kind: 'run', ids: ['a'], op: 'update' }]]);
      assert.equal(poller.nextDelay, POLL_MIN_MS, 'a change while visible: back to 2 s');

      for (const expected of [4000, 8000, 16000, 30000, 30000]) {
        await tick(poller.nextDelay);
        assert.equal(poller.nextDelay, Math.min(expected, POLL_MAX_MS));
      }
      const before = searches();
      await tick(POLL_MAX_MS - 1);
      assert.equal(searches(), before, 'never sooner than the wait');
      await tick(1);
      assert.equal(searches(), before + 1);

      visible = false;
      state.runs = [run('a', { status: 'FINISHED', end_time: 5 }), run('b', { start_time: 900 })];
      poller.poke();
      await tick(0);
      assert.equal(batches.length, 2, 'a poke polls at once');
      assert.equal(poller.nextDelay, POLL_MIN_MS * 2, 'not visible: no fast pace');
      const hidden = searches();
      await tick(POLL_MIN_MS * 2);
      assert.equal(searches(), hidden, 'not visible: it waits 30 s');
      await tick(POLL_MAX_MS - POLL_MIN_MS * 2);
      assert.equal(searches(), hidden + 1);

      state.fail = new Error('connect ECONNREFUSED');
      visible = true;
      poller.poke();
      await tick(0);
      assert.deepEqual(reach.at(-1), [false, state.fail]);
      assert.ok(reach.slice(0, -1).every(([ok]) => ok));
      state.fail = undefined;
      await tick(poller.nextDelay);
      assert.deepEqual(reach.at(-1), [true, undefined]);
    } finally {
      poller.dispose();
    }
  });

  it('a poke during a poll polls again right after it; dispose stops everything', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { state, api } = fakeServer();
    const poller = new ChangePoller(
      api,
      () => undefined,
      () => true,
    );
    const first = poller.poll();
    poller.poke();
    poller.poke();
    await first;
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    assert.equal(state.calls.filter((c) => c.method === 'searchExperiments').length, 2);
    poller.dispose();
    t.mock.timers.tick(POLL_MAX_MS * 2);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    assert.equal(state.calls.filter((c) => c.method === 'searchExperiments').length, 2);
  });
});

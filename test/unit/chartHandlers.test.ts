import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { panelStyles } from '../../common/src/charts/runColors';
import type {
  CompareHostMessage,
  CompareViewMessage,
  MetricsHostMessage,
  MetricsViewMessage,
  MetricsViewState,
} from '../../common/src/protocol/chartMessages';
import { ComparePanelHandler } from '../../client/src/core/charts/compareHandler';
import { APPEND_INTERVAL_MS, MetricsPanelHandler } from '../../client/src/core/charts/metricsHandler';
import type { TrackingApi } from '../../client/src/core/tracking/repository';
import { asApi, memoryRepository } from '../helpers/restStore';

/** A webview as the handlers see it: what the host posted, and a way to send what a page would. */
class FakeWebview<FromHost extends { type: string }> {
  readonly posted: FromHost[] = [];
  post = (message: FromHost) => void this.posted.push(structuredClone(message));
  of<T extends FromHost['type']>(type: T): Extract<FromHost, { type: T }>[] {
    return this.posted.filter((m): m is Extract<FromHost, { type: T }> => m.type === type);
  }
  async until<T extends FromHost['type']>(type: T, count = 1): Promise<Extract<FromHost, { type: T }>[]> {
    const deadline = Date.now() + 5000;
    while (this.of(type).length < count) {
      if (Date.now() > deadline) throw new Error(`no ${type} message; got ${this.posted.map((m) => m.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.of(type);
  }
}

async function store() {
  const { db, repo } = await memoryRepository();
  const proxy = asApi(db, repo);
  // As the store's own proxy: no `then`, so an async function may return it.
  const api = new Proxy(proxy, { get: (target, name) => (name === 'then' ? undefined : Reflect.get(target, name)) });
  const { experiment_id } = repo.createExperiment({ name: 'churn' });
  const make = (name: string, params: Record<string, string>, n: number) => {
    const { run } = repo.createRun({ experiment_id, run_name: name, start_time: 1_000_000 });
    repo.logBatch({
      run_id: run.info.run_id,
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Array.from({ length: n }, (_, i) => [
        { key: 'loss', value: 1 / (i + 1), timestamp: 1_000_000 + i * 1000, step: i },
        { key: 'acc', value: i / n, timestamp: 1_000_000 + i * 1000, step: i },
      ]).flat(),
    });
    return run.info.run_id;
  };
  const a = make('<img src=x onerror=alert(1)>', { lr: '0.1', depth: '4' }, 50);
  const b = make('baseline, "quoted"', { lr: '0.01', depth: '4' }, 30);
  return { repo, api, a, b };
}

const STATE: MetricsViewState = { runIds: [], xAxis: 'step', smoothing: 0, logScale: false };

function metricsHandler(api: TrackingApi | undefined, runIds: string[]) {
  const view = new FakeWebview<MetricsHostMessage>();
  const saved: { defaultName: string; kind: string; data: Uint8Array | string }[] = [];
  const logs: string[] = [];
  const handler = new MetricsPanelHandler(
    { api: async () => api, post: view.post, save: async (f) => void saved.push(f), log: (m) => logs.push(m) },
    { ...STATE, runIds },
  );
  const send = (message: MetricsViewMessage) => handler.handle(message);
  return { view, handler, send, saved, logs };
}

describe('metrics panel handler', () => {
  it('sends nothing before the page says initialized, then the runs, their keys and one series message per key', async () => {
    const { api, a, b } = await store();
    const { view, send } = metricsHandler(api, [a, b, 'deadbeef'.repeat(4)]);
    assert.equal(view.posted.length, 0);
    await send({ type: 'initialized' });
    const [runs] = view.of('runs');
    assert.deepEqual(runs!.payload.keys, ['acc', 'loss']);
    assert.deepEqual(
      runs!.payload.runs.map((r) => r.name),
      ['<img src=x onerror=alert(1)>', 'baseline, "quoted"'],
      'the unknown run is left out',
    );
    // The panel's runs get distinct styles in the order they started (runColors.ts panelStyles).
    const styles = panelStyles(runs!.payload.runs);
    assert.deepEqual(runs!.payload.runs[0]!.style, styles.get(a));
    assert.notDeepEqual(runs!.payload.runs[0]!.style.color, runs!.payload.runs[1]!.style.color);
    // Each run carries its latest values: the summary above the charts.
    assert.deepEqual(runs!.payload.runs[1]!.latest, { loss: 1 / 30, acc: 29 / 30 });
    const series = view.of('series');
    assert.deepEqual(
      series.map((s) => s.payload.items[0]!.key),
      ['acc', 'loss'],
    );
    const loss = series[1]!.payload.items;
    assert.deepEqual(
      loss.map((i) => [i.runId, i.points.steps.length, i.downsampled]),
      [
        [a, 50, false],
        [b, 30, false],
      ],
    );
    assert.equal(loss[0]!.points.values[1], 0.5);
  });

  it('answers a zoom query with the range on each axis, relative time counted from each run start', async () => {
    const { api, a, b } = await store();
    const { view, send } = metricsHandler(api, [a, b]);
    await send({ type: 'initialized' });
    await send({ type: 'query', payload: { requestId: 7, key: 'loss', xAxis: 'step', range: { min: 10, max: 19.5 } } });
    let reply = view.of('series').at(-1)!.payload;
    assert.equal(reply.requestId, 7);
    assert.deepEqual(
      reply.items.map((i) => [i.points.steps[0], i.points.steps.at(-1)]),
      [
        [10, 19],
        [10, 19],
      ],
    );
    await send({ type: 'query', payload: { requestId: 8, key: 'loss', xAxis: 'relative', range: { min: 5, max: 7 } } });
    reply = view.of('series').at(-1)!.payload;
    assert.equal(reply.xAxis, 'relative');
    assert.deepEqual(reply.items[0]!.points.steps, [5, 6, 7]);
  });

  it('appends only the points logged since, after a metric change of a shown run', async () => {
    const { repo, api, a, b } = await store();
    const { view, send, handler } = metricsHandler(api, [a, b]);
    await send({ type: 'initialized' });
    repo.logBatch({
      run_id: a,
      metrics: [
        { key: 'loss', value: 0.001, timestamp: 9_000_000, step: 50 },
        { key: 'f1', value: 0.5, timestamp: 9_000_000, step: 0 },
      ],
    });
    handler.onStoreChange([
      { kind: 'metric', ids: [a], op: 'create' },
      { kind: 'metric', ids: ['someone-else'], op: 'create' },
    ]);
    const [append] = await view.until('append');
    assert.deepEqual(append!.payload.items.map((i) => [i.key, i.points.steps]).sort(), [
      ['f1', [0]],
      ['loss', [50]],
    ]);
    handler.onStoreChange([{ kind: 'metric', ids: [a], op: 'create' }]);
    await new Promise((r) => setTimeout(r, APPEND_INTERVAL_MS * 2));
    assert.deepEqual(view.of('append')[1]?.payload.items ?? [], [], 'nothing new the second time');
    handler.dispose();
  });

  it('exports the full history as CSV (quoted names) and a PNG from the page, and reports a bad image', async () => {
    const { api, a, b } = await store();
    const { view, send, saved } = metricsHandler(api, [a, b]);
    await send({ type: 'initialized' });
    await send({ type: 'exportCsv', payload: { key: 'loss' } });
    const csv = String(saved[0]!.data).split('\n');
    assert.equal(saved[0]!.defaultName, 'loss.csv');
    assert.equal(csv[0], 'run_id,run_name,key,step,timestamp,value');
    assert.equal(csv.length, 1 + 50 + 30 + 1);
    assert.ok(csv.includes(`${b},"baseline, ""quoted""",loss,0,1000000,1`));
    await send({ type: 'exportPng', payload: { key: 'a/b', dataUrl: `data:image/png;base64,${Buffer.from('PNG!').toString('base64')}` } });
    assert.equal(saved[1]!.defaultName, 'a_b.png');
    assert.equal(Buffer.from(saved[1]!.data as Uint8Array).toString(), 'PNG!');
    await send({ type: 'exportPng', payload: { key: 'x', dataUrl: 'javascript:alert(1)' } });
    assert.match(view.of('problem')[0]!.payload.message, /not a PNG/);
  });

  it('says when the store is closed, and logs what the page drew', async () => {
    const { view, send, logs } = metricsHandler(undefined, ['x']);
    await send({ type: 'initialized' });
    assert.match(view.of('problem')[0]!.payload.message, /not open/);
    await send({ type: 'drawn', payload: { ms: 12.3, charts: [{ key: 'loss', datasets: ['a'], points: 2000 }] } });
    assert.match(logs.at(-1)!, /drew 1 charts \(2000 points\) in 12 ms/);
  });

  it('keeps the view state the page sends, for the serializer', async () => {
    const { api, a } = await store();
    const { send, handler } = metricsHandler(api, [a]);
    await send({ type: 'state', payload: { runIds: [a], xAxis: 'time', smoothing: 0.6, logScale: true } });
    assert.deepEqual(handler.viewState, { runIds: [a], xAxis: 'time', smoothing: 0.6, logScale: true });
  });
});

describe('compare panel handler', () => {
  function compareHandler(api: TrackingApi, runIds: string[]) {
    const view = new FakeWebview<CompareHostMessage>();
    const calls: string[] = [];
    const handler = new ComparePanelHandler(
      {
        api: async () => api,
        post: view.post,
        showMetrics: async (ids) => void calls.push(`metrics ${ids.join(',')}`),
        revealRun: async (id) => void calls.push(`reveal ${id}`),
        log: () => undefined,
      },
      { runIds },
    );
    return { view, handler, calls, send: (m: CompareViewMessage) => handler.handle(m) };
  }

  it('sends the runs with params and latest metrics once initialized, and again when one changes', async () => {
    const { repo, api, a, b } = await store();
    const { view, send, handler } = compareHandler(api, [a, b]);
    assert.equal(view.posted.length, 0);
    await send({ type: 'initialized' });
    const runs = view.of('compare')[0]!.payload.runs;
    assert.deepEqual(
      runs.map((r) => [r.name, r.params['lr'], r.metrics['loss']]),
      [
        ['<img src=x onerror=alert(1)>', '0.1', 0.02],
        ['baseline, "quoted"', '0.01', 1 / 30],
      ],
    );
    repo.logParam({ run_id: b, key: 'seed', value: '42' });
    handler.onStoreChange([{ kind: 'param', ids: [b], op: 'create' }]);
    const again = await view.until('compare', 2);
    assert.equal(again[1]!.payload.runs[1]!.params['seed'], '42');
    handler.dispose();
  });

  it('opens charts and reveals only runs it compares', async () => {
    const { api, a, b } = await store();
    const { send, calls, handler } = compareHandler(api, [a, b]);
    await send({ type: 'showMetrics', payload: { runIds: [a, 'other'] } });
    await send({ type: 'revealRun', payload: { runId: 'other' } });
    await send({ type: 'revealRun', payload: { runId: b } });
    await send({ type: 'state', payload: { runIds: [a, b], sort: { column: 'metrics.loss', descending: true } } });
    assert.deepEqual(calls, [`metrics ${a}`, `reveal ${b}`]);
    assert.equal(handler.viewState.sort?.column, 'metrics.loss');
  });
});

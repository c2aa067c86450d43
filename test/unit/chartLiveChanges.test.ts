import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricsHostMessage } from '../../common/src/protocol/chartMessages';
import { MetricsPanelHandler } from '../../client/src/core/charts/metricsHandler';
import { EVERYTHING_CHANGED } from '../../client/src/core/tracking/rest/changeStream';
import { asApi, memoryRepository } from '../helpers/restStore';

// A live metrics chart follows points logged by other processes: the store merges the changes of
// one turn (a change names every run logged to), and a reset of the change stream names none.

async function chart() {
  const { db, repo } = await memoryRepository();
  const proxy = asApi(db, repo);
  const api = new Proxy(proxy, { get: (target, name) => (name === 'then' ? undefined : Reflect.get(target, name)) });
  const { experiment_id } = repo.createExperiment({ name: 'live' });
  const run = (name: string) => {
    const id = repo.createRun({ experiment_id, run_name: name, start_time: 1_000_000 }).run.info.run_id;
    repo.logMetric({ run_id: id, key: 'loss', value: 1, timestamp: 1_000_000, step: 0 });
    return id;
  };
  const a = run('a');
  const b = run('b');
  const posted: MetricsHostMessage[] = [];
  const handler = new MetricsPanelHandler(
    { api: async () => api, post: (m) => void posted.push(structuredClone(m)), save: async () => undefined, log: () => undefined },
    { runIds: [a, b], xAxis: 'step', smoothing: 0, logScale: false },
  );
  await handler.handle({ type: 'initialized' });
  const appended = async (count: number) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const appends = posted.filter((m): m is Extract<MetricsHostMessage, { type: 'append' }> => m.type === 'append');
      if (appends.length >= count) return appends[count - 1]!.payload.items.map((i) => [i.runId, i.key, i.points.steps]);
      if (Date.now() > deadline) throw new Error('no append');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { repo, handler, a, b, appended };
}

describe('metrics chart: live points from other writers', () => {
  it('appends for a shown run that is not the first one a merged change names', async () => {
    const { repo, handler, b, appended } = await chart();
    repo.logMetric({ run_id: b, key: 'loss', value: 0.5, timestamp: 2_000_000, step: 1 });
    handler.onStoreChange([{ kind: 'metric', ids: ['0123456789abcdef0123456789abcdef', b], op: 'create' }]);
    assert.deepEqual(await appended(1), [[b, 'loss', [1]]]);
    handler.dispose();
  });

  it('reads every shown run again after a reset of the change stream (a change without ids)', async () => {
    const { repo, handler, a, appended } = await chart();
    repo.logMetric({ run_id: a, key: 'loss', value: 0.25, timestamp: 3_000_000, step: 7 });
    handler.onStoreChange(EVERYTHING_CHANGED.map((c) => ({ ...c, ids: [] })));
    assert.deepEqual(await appended(1), [[a, 'loss', [7]]]);
    handler.dispose();
  });
});

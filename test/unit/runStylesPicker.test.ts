import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { panelStyles, RUN_COLORS } from '../../common/src/charts/runColors';
import { runPickItems } from '../../client/src/core/views/runPicker';
import type { Run } from '../../client/src/core/tracking/repository';

const run = (id: string, start: number, metrics: Record<string, number> = {}): Run =>
  ({
    info: {
      run_id: id,
      run_name: `run-${id}`,
      status: 'FINISHED',
      start_time: start,
      experiment_id: '1',
      artifact_uri: '',
      lifecycle_stage: 'active',
    },
    data: { metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: start })), params: [], tags: [] },
  }) as unknown as Run;

describe('run styles within a panel', () => {
  it('gives up to six runs six distinct colours, solid, in the order they started', () => {
    const runs = Array.from({ length: 6 }, (_, i) => ({ runId: `r${i}`, startTime: 1000 + i }));
    const styles = panelStyles(runs);
    assert.deepEqual(
      runs.map((r) => styles.get(r.runId)!.color),
      [...RUN_COLORS],
    );
    assert.ok(runs.every((r) => styles.get(r.runId)!.dash === 0 && !styles.get(r.runId)!.dashed));
  });

  it('varies the dash after six: the seventh run is blue and dashed, the thirteenth blue and dotted', () => {
    const runs = Array.from({ length: 13 }, (_, i) => ({ runId: `r${String(i).padStart(2, '0')}`, startTime: i }));
    const styles = panelStyles(runs);
    assert.deepEqual(styles.get('r06'), { color: 'blue', dashed: true, dash: 1 });
    assert.deepEqual(styles.get('r12'), { color: 'blue', dashed: true, dash: 2 });
    const pairs = new Set(runs.map((r) => `${styles.get(r.runId)!.color}/${styles.get(r.runId)!.dash}`));
    assert.equal(pairs.size, 13, 'no two runs of a panel look alike');
  });

  it('keeps a run’s style across panels that hold the same runs, whatever their order', () => {
    const a = panelStyles([
      { runId: 'x', startTime: 3 },
      { runId: 'y', startTime: 1 },
      { runId: 'z', startTime: 2 },
    ]);
    const b = panelStyles([
      { runId: 'z', startTime: 2 },
      { runId: 'x', startTime: 3 },
      { runId: 'y', startTime: 1 },
    ]);
    assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort());
    assert.equal(a.get('y')!.color, 'blue');
  });
});

describe('the run pickers', () => {
  const runs = [run('a', 1000, { auc: 0.81234 }), run('c', 3000, { auc: 0.9 }), run('b', 2000)];
  it('lists runs newest first with their key metric, and ticks the newest when nothing is selected', () => {
    const items = runPickItems(runs, [], 3_600_000 + 3000);
    assert.deepEqual(
      items.map((i) => i.runId),
      ['c', 'b', 'a'],
    );
    assert.deepEqual(
      items.map((i) => i.preselected),
      [true, false, false],
    );
    assert.match(items[0]!.description, /^auc 0\.9 · finished · /);
    assert.match(items[2]!.description, /^auc 0\.8123 · finished/);
    assert.doesNotMatch(items[1]!.description, /auc/, 'a run without the metric shows none');
  });

  it('ticks the runs selected in the view instead', () => {
    assert.deepEqual(
      runPickItems(runs, ['a', 'b'], 0)
        .filter((i) => i.preselected)
        .map((i) => i.runId),
      ['b', 'a'],
    );
  });
});

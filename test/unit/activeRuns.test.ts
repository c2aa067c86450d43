import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActiveRuns, type TrackedRun } from '../../client/src/core/runner/activeRuns';

/** A run as the editor's ActiveRun looks to the bookkeeping; it records the reasons it was cancelled for. */
class FakeRun implements TrackedRun {
  readonly cancelled: string[] = [];
  constructor(
    readonly file: string,
    public runId: string | undefined = undefined,
  ) {}
  cancel(reason: string): void {
    this.cancelled.push(reason);
  }
}

/** A promise settled from outside, standing for a run's execution. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ActiveRuns: the runs of a window', () => {
  it('lists the runs going in the order they started, until each ends', () => {
    const runs = new ActiveRuns<FakeRun>();
    const a = new FakeRun('/w/a.pipeline.yaml');
    const b = new FakeRun('/w/b.pipeline.yaml');
    runs.begin(a);
    runs.begin(b);
    assert.deepEqual(runs.running, [a, b]);
    runs.end(a);
    assert.deepEqual(runs.running, [b]);
    runs.end(b);
    assert.deepEqual(runs.running, []);
  });

  it('finds the run going for a pipeline file (a second run of it would write the same outputs)', () => {
    const runs = new ActiveRuns<FakeRun>();
    const a = new FakeRun('/w/a.pipeline.yaml');
    runs.begin(a);
    assert.equal(runs.runningFile('/w/a.pipeline.yaml'), a);
    assert.equal(runs.runningFile('/w/b.pipeline.yaml'), undefined);
    runs.end(a);
    assert.equal(runs.runningFile('/w/a.pipeline.yaml'), undefined);
  });

  it('says which run a command without a run id means: none, the only one, or several to pick from', () => {
    const runs = new ActiveRuns<FakeRun>();
    assert.deepEqual(runs.choice(), { kind: 'none' });
    const a = new FakeRun('/w/a.pipeline.yaml');
    runs.begin(a);
    assert.deepEqual(runs.choice(), { kind: 'one', run: a });
    const b = new FakeRun('/w/b.pipeline.yaml');
    runs.begin(b);
    assert.deepEqual(runs.choice(), { kind: 'pick', runs: [a, b] });
  });

  it('finds a run by id among those going first, then among the recent ones; without an id, the newest that ended', () => {
    const runs = new ActiveRuns<FakeRun>();
    assert.equal(runs.find(), undefined);
    const first = new FakeRun('/w/a.pipeline.yaml', 'r1');
    const second = new FakeRun('/w/b.pipeline.yaml', 'r2');
    runs.remember(first);
    runs.remember(second);
    assert.equal(runs.find('r1'), first);
    assert.equal(runs.find(), second);
    // A run going with the same id wins over the remembered one.
    const again = new FakeRun('/w/a.pipeline.yaml', 'r1');
    runs.begin(again);
    assert.equal(runs.find('r1'), again);
    assert.equal(runs.find('nope'), undefined);
  });

  it('remembers only runs with an id, the newest last, and forgets the oldest beyond its limit', () => {
    const runs = new ActiveRuns<FakeRun>(2);
    runs.remember(new FakeRun('/w/x.pipeline.yaml'));
    assert.equal(runs.find(), undefined, 'a run that never got an id is not remembered');
    const [r1, r2, r3] = ['r1', 'r2', 'r3'].map((id) => new FakeRun('/w/p.pipeline.yaml', id)) as [FakeRun, FakeRun, FakeRun];
    runs.remember(r1);
    runs.remember(r2);
    runs.remember(r1); // remembered again: now the newest
    assert.equal(runs.find(), r1);
    runs.remember(r3); // over the limit of 2: r2 is the oldest and goes
    assert.equal(runs.find('r2'), undefined);
    assert.equal(runs.find('r1'), r1);
    assert.equal(runs.find('r3'), r3);
    assert.equal(runs.find(), r3);
  });

  it('cancels every run going with the reason given', () => {
    const runs = new ActiveRuns<FakeRun>();
    const a = new FakeRun('/w/a.pipeline.yaml');
    const b = new FakeRun('/w/b.pipeline.yaml');
    const ended = new FakeRun('/w/c.pipeline.yaml');
    runs.begin(a);
    runs.begin(b);
    runs.begin(ended);
    runs.end(ended);
    runs.cancelAll('the window is closing');
    assert.deepEqual(a.cancelled, ['the window is closing']);
    assert.deepEqual(b.cancelled, ['the window is closing']);
    assert.deepEqual(ended.cancelled, []);
  });

  it('stopAll cancels and waits until every execution settled, failed ones included', async () => {
    const runs = new ActiveRuns<FakeRun>();
    const a = new FakeRun('/w/a.pipeline.yaml');
    const b = new FakeRun('/w/b.pipeline.yaml');
    const ea = deferred();
    const eb = deferred();
    runs.begin(a);
    runs.begin(b);
    const settledA = runs.settle(a, ea.promise);
    const settledB = runs.settle(b, eb.promise).catch(() => 'failed');
    let stopped = false;
    const stopping = runs.stopAll('the window is closing', 10_000).then(() => (stopped = true));
    assert.deepEqual(a.cancelled, ['the window is closing']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, 'still waiting for both runs');
    ea.resolve();
    await settledA;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, 'still waiting for b');
    eb.reject(new Error('boom'));
    assert.equal(await settledB, 'failed', 'settle hands back the execution, rejection included');
    await stopping;
    assert.equal(stopped, true);
  });

  it('stopAll gives up after its timeout, and returns at once when nothing is going', async () => {
    const runs = new ActiveRuns<FakeRun>();
    const t0 = Date.now();
    await runs.stopAll('closing', 10_000);
    assert.ok(Date.now() - t0 < 1000, 'nothing to wait for');
    const hung = new FakeRun('/w/a.pipeline.yaml');
    runs.begin(hung);
    void runs.settle(hung, new Promise<void>(() => undefined));
    const t1 = Date.now();
    await runs.stopAll('closing', 50);
    assert.ok(Date.now() - t1 >= 40, 'waited for the timeout');
    assert.deepEqual(hung.cancelled, ['closing']);
  });

  it('forgets an execution once it settled, so a later stopAll does not wait for it', async () => {
    const runs = new ActiveRuns<FakeRun>();
    const a = new FakeRun('/w/a.pipeline.yaml');
    await runs.settle(a, Promise.resolve());
    const t0 = Date.now();
    await runs.stopAll('closing', 5_000);
    assert.ok(Date.now() - t0 < 1000);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffSnapshots, type Snapshot } from '../../client/src/core/tracking/remote/changePoller';

const snap = (runs: Record<string, string>, models: Record<string, string> = {}, experiments = '0:Default:active'): Snapshot => ({
  experiments,
  runs: new Map(Object.entries(runs)),
  models: new Map(Object.entries(models)),
});

describe("change events from polling a team's server (changePoller)", () => {
  it('reports nothing on the first poll, then new runs, changed runs, experiments and models', () => {
    const first = snap({ a: 'RUNNING||a|active|0|0|3' }, { churn: '1|1:None|' });
    assert.deepEqual(diffSnapshots(undefined, first), []);
    assert.deepEqual(diffSnapshots(first, first), []);
    const next = snap(
      { a: 'FINISHED|9|a|active|4|8|3', b: 'RUNNING||b|active|0|0|1' },
      { churn: '2|1:Production|' },
      '0:Default:active,1:churn:active',
    );
    assert.deepEqual(diffSnapshots(first, next), [
      { kind: 'experiment', ids: [], op: 'update' },
      { kind: 'run', ids: ['b'], op: 'create' },
      { kind: 'run', ids: ['a'], op: 'update' },
      { kind: 'model', ids: ['churn'], op: 'update' },
    ]);
  });

  it('a model that disappears is reported too', () => {
    assert.deepEqual(diffSnapshots(snap({}, { old: '1||' }), snap({})), [{ kind: 'model', ids: ['old'], op: 'update' }]);
  });
});

import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { ValidationScheduler } from '../../server/src/services/validationScheduler';

describe('ValidationScheduler', () => {
  it('runs once per burst, after the quiet period, per document', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const runs: string[] = [];
      const scheduler = new ValidationScheduler(100, (uri) => runs.push(uri));
      for (let i = 0; i < 10; i++) {
        scheduler.schedule('a');
        mock.timers.tick(50);
      }
      scheduler.schedule('b');
      assert.deepEqual(runs, []);
      mock.timers.tick(100);
      assert.deepEqual(runs.sort(), ['a', 'b']);
      assert.equal(scheduler.pending, 0);
    } finally {
      mock.timers.reset();
    }
  });

  it('cancel and dispose drop pending runs', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const runs: string[] = [];
      const scheduler = new ValidationScheduler(10, (uri) => runs.push(uri));
      scheduler.schedule('a');
      scheduler.schedule('b');
      scheduler.cancel('a');
      assert.equal(scheduler.pending, 1);
      scheduler.dispose();
      mock.timers.tick(100);
      assert.deepEqual(runs, []);
    } finally {
      mock.timers.reset();
    }
  });
});

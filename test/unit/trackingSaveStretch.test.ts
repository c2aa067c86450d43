import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { defaultSavePolicy, SaveScheduler, saveStretch } from '../../client/src/core/tracking/engine/saveScheduler';

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('tracking engine: saves of a large image are spaced by their cost', () => {
  it('stretches the bounds so saving takes about a tenth of the time, within 1 and 8 times', () => {
    const policy = defaultSavePolicy(); // longest delay 5 s
    assert.equal(saveStretch(policy, 100), 1, 'a cheap save changes nothing');
    assert.equal(saveStretch(policy, 500), 1);
    assert.equal(saveStretch(policy, 2000), 4, 'a 2 s save: at most every 20 s');
    assert.equal(saveStretch(policy, 60_000), 8, 'bounded: a crash replays at most 8 times the journal limit');
  });

  it('after a slow save, waits longer and lets the journal grow more before the next one', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      let saves = 0;
      const scheduler = new SaveScheduler({ delayMs: 100, maxDelayMs: 500, maxPendingBytes: 1000 }, () => {
        saves++;
        return new Promise<void>((resolve) => setTimeout(resolve, 200)); // 10 × 200 ms / 500 ms: stretched 4 times
      });
      scheduler.noteWrite(10);
      mock.timers.tick(100);
      assert.equal(saves, 1);
      mock.timers.tick(200);
      await settle();
      for (let t = 0; t < 1500; t += 50) {
        scheduler.noteWrite(10);
        mock.timers.tick(50);
      }
      assert.equal(saves, 1, 'writes every 50 ms for 1.5 s: no save before 4 × 500 ms');
      for (let t = 0; t < 600; t += 50) {
        scheduler.noteWrite(10);
        mock.timers.tick(50);
      }
      assert.equal(saves, 2, 'saved once 2 s passed');
      scheduler.noteWrite(1000);
      assert.equal(saves, 2, 'the journal limit is stretched too');
      scheduler.noteWrite(4000);
      assert.equal(saves, 3, 'past 4 × the limit: saved at once');
      mock.timers.tick(400);
      await settle();
      scheduler.cancel();
    } finally {
      mock.timers.reset();
    }
  });
});

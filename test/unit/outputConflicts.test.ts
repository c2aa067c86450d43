import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../helpers/documents';

/** `count` steps that all write `out/model.pkl`. */
function sharedWriters(count: number): string {
  const steps = Array.from({ length: count }, (_, i) => `  s${i}:\n    run: train ${i}\n    outputs: { m: out/model.pkl }\n`);
  return `pipeline: p\nsteps:\n${steps.join('')}`;
}

describe('output-conflict with many writers of one path', () => {
  it('names at most three others and counts the rest, with at most five related locations', () => {
    const conflicts = diagnose(sharedWriters(1000)).filter((d) => d.code === 'output-conflict');
    assert.equal(conflicts.length, 1000, 'every writer is marked');
    assert.match(
      conflicts[0]!.message,
      /^`out\/model.pkl` is also written by `s1.m`, `s2.m`, `s3.m` and 996 more; give each output its own path$/,
    );
    assert.match(conflicts[999]!.message, /also written by `s0.m`, `s1.m`, `s2.m` and 996 more;/);
    assert.ok(conflicts.every((d) => (d.related?.length ?? 0) === 5));
    assert.deepEqual(
      conflicts[0]!.related!.map((r) => r.message),
      [
        's1.m writes out/model.pkl',
        's2.m writes out/model.pkl',
        's3.m writes out/model.pkl',
        's4.m writes out/model.pkl',
        's5.m writes out/model.pkl',
      ],
    );
  });

  it('lists every other writer when there are few', () => {
    const conflicts = diagnose(sharedWriters(3)).filter((d) => d.code === 'output-conflict');
    assert.deepEqual(
      conflicts.map((d) => d.message.replace(/^`out\/model.pkl` is also written by /, '')),
      [
        '`s1.m`, `s2.m`; give each output its own path',
        '`s0.m`, `s2.m`; give each output its own path',
        '`s0.m`, `s1.m`; give each output its own path',
      ],
    );
    assert.ok(conflicts.every((d) => d.related?.length === 2));
  });
});

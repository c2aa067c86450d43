import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyChurnSample, mlops } from '../helpers/cli';

// Reproducible runs with the built bin on a git copy of samples/churn: each run records what it
// takes to run it again; `mlops run --reproduce` says what changed since, runs with the same params
// and the cache off, and puts the metrics side by side.

type RunRecord = {
  version: string;
  pipeline: { file: string; sha256: string; content: string };
  git?: { commit: string; dirty: boolean };
  params: Record<string, unknown>;
  inputs: Record<string, string>;
};

describe('reproducible runs (mlops run --reproduce)', () => {
  let dir: string;
  let ws: string;
  let first: string;
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: ws, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const lastRunId = (stdout: string) => /run \S+ \(([0-9a-f]{32})\) FINISHED/.exec(stdout)?.[1];

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-reproduce-'));
    ws = copyChurnSample(path.join(dir, 'churn'));
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'the sample');
    const r = mlops(['run', 'churn.pipeline.yaml', '--quiet', '--param', 'epochs=200'], ws);
    assert.equal(r.code, 0, r.stderr);
    first = lastRunId(r.stdout)!;
    assert.ok(first, r.stdout);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('records the pipeline file, the commit, the params, the input digests and the version', () => {
    const record = JSON.parse(
      readFileSync(
        path.join(ws, '.mlops/artifacts', readdirSync(path.join(ws, '.mlops/artifacts'))[0]!, first, 'artifacts/mlops/run-record.json'),
        'utf8',
      ),
    ) as RunRecord;
    assert.equal(record.pipeline.file, 'churn.pipeline.yaml');
    assert.equal(record.pipeline.content, readFileSync(path.join(ws, 'churn.pipeline.yaml'), 'utf8'));
    assert.equal(record.git?.commit, git('rev-parse', 'HEAD'));
    assert.equal(record.git?.dirty, false);
    assert.equal(record.params.epochs, 200);
    assert.deepEqual(Object.keys(record.inputs).sort(), [
      'customer.features.yaml',
      'data/customer_stats.csv',
      'data/labels.csv',
      'steps/evaluate.py',
      'steps/preprocess.py',
      'steps/train.py',
    ]);
    assert.match(record.inputs['data/labels.csv']!, /^[0-9a-f]{64}$/);
    assert.match(record.version, /^\d+\.\d+\.\d+|dev$/);
  });

  it('reproduces the run: nothing differs, same params, cache off, every metric equal', () => {
    const r = mlops(['run', '--reproduce', first, '--quiet'], ws);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /reproducing \S+ \([0-9a-f]{32}\): its pipeline file, 6 inputs, params, commit and version are as they were; cache off/,
    );
    assert.doesNotMatch(r.stdout, /SUCCEEDED.*\byes\s*$/m, 'no step came from the cache');
    assert.match(r.stdout, /every metric equals \S+'s/);
    assert.match(r.stdout, /^auc\s+0\.8\d*\s+0\.8\d*\s+same$/m);
    const again = lastRunId(r.stdout)!;
    const shown = mlops(['runs', 'show', again, '--json'], ws);
    assert.equal(shown.code, 0, shown.stderr);
    const text = shown.stdout;
    assert.match(text, /mlops\.reproduces/);
    assert.ok(text.includes(first), 'the new run names the run it reproduces');
    assert.ok(/"epochs"[^0-9]*200/.test(text), 'with the params of that run');
  });

  it('names what changed since the run, and still runs with its params', () => {
    appendFileSync(path.join(ws, 'data/customer_stats.csv'), 'C99999,2026-01-01T00:00:00Z,1,2.0,3,0\n');
    const r = mlops(['run', '--reproduce', first, '--quiet'], ws);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /since that run:\n {2}- data\/customer_stats\.csv changed since that run\n/);
  });

  it('runs in a git worktree at the run’s commit, where nothing differs', () => {
    const r = mlops(['run', '--reproduce', first, '--worktree', '--quiet'], ws);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /in a worktree at [0-9a-f]{12}: .*\.mlops[\\/]worktrees[\\/]/);
    assert.match(r.stderr, /are as they were/);
    assert.ok(existsSync(path.join(ws, '.mlops/worktrees', first.slice(0, 12), 'churn.pipeline.yaml')));
    assert.match(r.stdout, /every metric equals/);
  });

  it('says why a run cannot be reproduced: unknown, or without a record', () => {
    const unknown = mlops(['run', '--reproduce', '0'.repeat(32)], ws);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no run 0{32} in the store/);
    const both = mlops(['run', 'churn.pipeline.yaml', '--reproduce', first], ws);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /takes the run's pipeline from its record/);
  });
});

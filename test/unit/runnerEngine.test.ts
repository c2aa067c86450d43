import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  loadPipeline,
  ParamError,
  PipelineInvalidError,
  problemsInBrief,
  recoverAbandonedRuns,
  runPipeline,
  type RunEvent,
} from '../../client/src/core/runner';
import { RunnerWorkspace, stepOf } from '../helpers/runnerWorkspace';
import { tempWorkspace } from '../helpers/trackingFiles';
import { isAlive as alive } from '../helpers/processes';

const { dirs, cleanup } = tempWorkspace();
let ws: RunnerWorkspace;
before(async () => {
  ws = await RunnerWorkspace.open(dirs);
});
after(async () => {
  await ws.close();
  cleanup();
});

describe('runner: order and parallelism', () => {
  it('runs independent steps in parallel up to the limit, and a joining step after all of them', async () => {
    // Each step appends "start <id> <ms>" and "end <id> <ms>" to one log.
    const step = (id: string, extra = '') =>
      `  ${id}:\n    run: echo "start ${id} $(date +%s%N)" >> events.log; sleep 0.4; echo "end ${id} $(date +%s%N)" >> events.log\n${extra}`;
    const yaml = `pipeline: fan\nsteps:\n${step('a')}${step('b')}${step('c')}${step('d')}${step('join', '    needs: [a, b, c, d]\n')}`;
    const { result } = await ws.run(yaml, { maxParallel: 2 }, 'fan');
    assert.equal(result.status, 'FINISHED');
    const lines = readFileSync(path.join(ws.dir, 'events.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    const events = lines.map(([kind, id, ns]) => ({ kind: kind!, id: id!, t: BigInt(ns!) })).sort((x, y) => (x.t < y.t ? -1 : 1));
    let running = 0;
    let peak = 0;
    for (const e of events) {
      running += e.kind === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    assert.equal(peak, 2, 'two steps at once, never more');
    const joinStart = events.find((e) => e.kind === 'start' && e.id === 'join')!.t;
    for (const id of ['a', 'b', 'c', 'd'])
      assert.ok(events.find((e) => e.kind === 'end' && e.id === id)!.t <= joinStart, `${id} ends before join starts`);
  });

  it('passes outputs downstream and gives each step the run environment', async () => {
    const yaml = `pipeline: env-check
env:
  GREETING: hello \${{ params.who }}
params:
  who: world
steps:
  produce:
    run: printf '%s' "$GREETING" > \${{ outputs.text }}
    outputs:
      text: out/text.txt
  consume:
    run: (cat \${{ steps.produce.outputs.text }}; echo; env | grep -E '^(MLFLOW|MLOPS)_' | sort) > out/env.txt
    outputs:
      env: out/env.txt
`;
    const { result } = await ws.run(yaml, {}, 'env-check');
    assert.equal(result.status, 'FINISHED');
    const text = readFileSync(path.join(ws.dir, 'out/env.txt'), 'utf8');
    assert.match(text, /^hello world\n/);
    assert.match(text, new RegExp(`MLFLOW_RUN_ID=${result.runId}`));
    assert.match(text, new RegExp(`MLFLOW_EXPERIMENT_ID=${result.experimentId}`));
    assert.match(text, /MLFLOW_TRACKING_TOKEN=test-token/);
    assert.match(text, /MLFLOW_TRACKING_URI=http:\/\/127\.0\.0\.1:9\//);
    assert.match(text, /MLOPS_STEP=consume/);
    assert.match(text, /MLOPS_METRICS_FILE=.*consume\.metrics\.jsonl/);
    const { run } = await ws.api.getRun({ run_id: result.runId });
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    assert.equal(tags['mlops.pipeline'], 'env-check');
    assert.equal(tags['mlops.pipelineFile'], 'env-check.pipeline.yaml');
    assert.deepEqual(run.data.params, [{ key: 'who', value: 'world' }]);
    const { steps } = await ws.api.listSteps({ run_id: result.runId });
    assert.deepEqual(
      steps.map((s) => [s.step_id, s.status, s.exit_code]),
      [
        ['produce', 'SUCCEEDED', 0],
        ['consume', 'SUCCEEDED', 0],
      ],
    );
    assert.ok(steps.every((s) => s.log_path && existsSync(s.log_path)));
  });
});

describe('runner: caching', () => {
  const yaml = `pipeline: cached
steps:
  count:
    run: wc -l < data/in.txt > \${{ outputs.n }}; echo ran >> runs.log
    inputs: [data/in.txt]
    outputs:
      n: out/n.txt
`;
  it('reuses an execution while inputs and outputs are unchanged, and runs again after an input changes', async () => {
    ws.write('data/in.txt', 'a\nb\n');
    const first = await ws.run(yaml, {}, 'cached');
    assert.equal(stepOf(first.result, 'count').cachedFrom, undefined);
    const second = await ws.run(yaml, {}, 'cached');
    assert.equal(stepOf(second.result, 'count').cachedFrom, first.result.runId, 'cached, naming the run it reused');
    const { steps } = await ws.api.listSteps({ run_id: second.result.runId });
    assert.equal(steps[0]!.cached, true);
    const { run } = await ws.api.getRun({ run_id: second.result.runId });
    assert.match(run.data.tags.find((t) => t.key === 'mlops.cachedSteps')!.value, /count \(from run [0-9a-f]{32}\)/);

    ws.write('data/in.txt', 'a\nb\nc\n');
    const third = await ws.run(yaml, {}, 'cached');
    assert.equal(stepOf(third.result, 'count').cachedFrom, undefined, 'a changed input misses');
    assert.equal(readFileSync(path.join(ws.dir, 'out/n.txt'), 'utf8').trim(), '3');

    const fourth = await ws.run(yaml, { noCache: true }, 'cached');
    assert.equal(stepOf(fourth.result, 'count').cachedFrom, undefined, '--no-cache runs it');
    assert.equal(readFileSync(path.join(ws.dir, 'runs.log'), 'utf8').trim().split('\n').length, 3);
  });

  it('does not reuse an execution whose outputs were overwritten since', async () => {
    ws.write('data/in.txt', 'x\n');
    await ws.run(yaml, {}, 'cached');
    writeFileSync(path.join(ws.dir, 'out/n.txt'), 'tampered\n');
    const { result, events } = await ws.run(yaml, {}, 'cached');
    assert.equal(stepOf(result, 'count').cachedFrom, undefined);
    assert.ok(events.some((e) => e.type === 'warning' && /outputs changed/.test(e.message)));
    assert.equal(readFileSync(path.join(ws.dir, 'out/n.txt'), 'utf8').trim(), '1');
  });
});

describe('runner: failures', () => {
  it('retries a failing step and shows the attempt', async () => {
    const yaml = `pipeline: flaky
steps:
  flaky:
    run: n=$(cat tries 2>/dev/null || echo 0); n=$((n+1)); echo $n > tries; [ $n -ge 2 ]
    retries: 2
`;
    const { result, events } = await ws.run(yaml, {}, 'flaky');
    assert.equal(result.status, 'FINISHED');
    assert.equal(stepOf(result, 'flaky').attempts, 2);
    const retry = events.find((e) => e.type === 'step-retry');
    assert.deepEqual(retry && { attempt: retry.attempt, max: retry.maxAttempts, reason: retry.reason }, {
      attempt: 2,
      max: 3,
      reason: 'exited with code 1',
    });
  });

  it('kills a step at its timeout', async () => {
    const started = Date.now();
    const { result } = await ws.run(`pipeline: slow\nsteps:\n  slow:\n    run: sleep 20\n    timeout: 1s\n`, {}, 'slow');
    assert.equal(result.status, 'FAILED');
    assert.equal(stepOf(result, 'slow').message, 'timed out after 1.0 s');
    assert.ok(Date.now() - started < 10_000);
  });

  it('stops the failed step’s dependents and lets running siblings finish', async () => {
    const yaml = `pipeline: partial
steps:
  bad:
    run: exit 3
  sibling:
    run: sleep 0.5; echo done > sibling.txt
    outputs:
      out: sibling.txt
  after_bad:
    needs: [bad]
    run: echo never > never.txt
  after_after:
    needs: [after_bad]
    run: echo never > never.txt
`;
    const { result } = await ws.run(yaml, { maxParallel: 4 }, 'partial');
    assert.equal(result.status, 'FAILED');
    assert.deepEqual(
      result.steps.map((s) => [s.step, s.status, s.exitCode ?? null]),
      [
        ['bad', 'FAILED', 3],
        ['sibling', 'SUCCEEDED', 0],
        ['after_bad', 'SKIPPED', null],
        ['after_after', 'SKIPPED', null],
      ],
    );
    assert.equal(stepOf(result, 'after_bad').message, 'needs bad, which did not succeed');
    assert.ok(!existsSync(path.join(ws.dir, 'never.txt')));
    const { run } = await ws.api.getRun({ run_id: result.runId });
    assert.equal(run.info.status, 'FAILED');
  });

  it('fails a step whose declared output is missing, naming the path', async () => {
    const yaml = `pipeline: lazy\nsteps:\n  lazy:\n    run: "true"\n    outputs:\n      model: { path: models/never.pkl, type: model }\n`;
    const { result } = await ws.run(yaml, {}, 'lazy');
    assert.equal(stepOf(result, 'lazy').status, 'FAILED');
    assert.equal(stepOf(result, 'lazy').message, 'declared output `model` (models/never.pkl) was not written');
  });

  it('cancellation kills the whole process group, grandchildren included, and ends the run KILLED', async () => {
    const yaml = `pipeline: hang\nsteps:\n  hang:\n    run: sh -c 'sleep 60 & echo $! > grandchild.pid; wait'\n  later:\n    needs: [hang]\n    run: "true"\n`;
    const abort = new AbortController();
    const pidFile = path.join(ws.dir, 'grandchild.pid');
    const watcher = (async () => {
      while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await sleep(50);
      abort.abort();
    })();
    const { result } = await ws.run(yaml, { signal: abort.signal }, 'hang');
    await watcher;
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(result.status, 'KILLED');
    assert.deepEqual(
      result.steps.map((s) => [s.step, s.status]),
      [
        ['hang', 'CANCELLED'],
        ['later', 'CANCELLED'],
      ],
    );
    let gone = false;
    for (let i = 0; i < 40 && !gone; i++) {
      gone = !alive(grandchild);
      if (!gone) await sleep(100);
    }
    assert.ok(gone, `grandchild ${grandchild} was killed`);
    const { run } = await ws.api.getRun({ run_id: result.runId });
    assert.equal(run.info.status, 'KILLED');
  });
});

describe('runner: params and quoting', () => {
  const hostile = ['x; touch pwned', '$(touch pwned)', '`touch pwned`', 'a\'b"c', '--flag with  spaces', '', '*', 'new\nline'];
  for (const value of hostile) {
    it(`passes ${JSON.stringify(value)} to the program as one literal argument`, async () => {
      const yaml = `pipeline: quoting\nparams:\n  v: { type: string, default: safe }\nsteps:\n  echo:\n    run: printf '%s|' \${{ params.v }} > arg.txt\n`;
      const { result } = await ws.run(yaml, { params: { v: value } }, 'quoting');
      assert.equal(result.status, 'FINISHED');
      assert.equal(readFileSync(path.join(ws.dir, 'arg.txt'), 'utf8'), `${value}|`);
      assert.ok(!existsSync(path.join(ws.dir, 'pwned')));
    });
  }

  it('refuses bad values before anything runs, naming the param', async () => {
    const yaml = `pipeline: typed\nparams:\n  n: { type: int, default: 3, min: 1 }\n  kind: { type: string, default: rf, enum: [rf, logreg] }\nsteps:\n  s:\n    run: echo \${{ params.n }} \${{ params.kind }} > typed.txt\n`;
    const file = ws.write('typed.pipeline.yaml', yaml);
    const request = { pipelineFile: file, workspaceDir: ws.dir, tracking: { api: ws.api, url: 'http://127.0.0.1:9/', token: 't' } };
    await assert.rejects(
      runPipeline({ ...request, params: { n: 'abc' } }),
      (e: Error) => e instanceof ParamError && e.message === 'n must be an integer, got "abc"',
    );
    await assert.rejects(runPipeline({ ...request, params: { n: '0' } }), /n must be at least 1, got 0/);
    await assert.rejects(runPipeline({ ...request, params: { kind: 'svm' } }), /kind must be one of "rf", "logreg", got "svm"/);
    await assert.rejects(runPipeline({ ...request, params: { nope: '1' } }), /unknown param nope/);
    assert.ok(!existsSync(path.join(ws.dir, 'typed.txt')));
    const { result } = await ws.run(yaml, { params: { n: '7', kind: 'logreg' } }, 'typed');
    assert.equal(result.status, 'FINISHED');
    assert.equal(readFileSync(path.join(ws.dir, 'typed.txt'), 'utf8').trim(), '7 logreg');
  });

  it('refuses a pipeline with errors, listing them with positions', async () => {
    const file = ws.write('broken.pipeline.yaml', 'pipeline: broken\nsteps:\n  a:\n    run: echo ${{ params.nope }}\n');
    await assert.rejects(
      loadPipeline(file),
      (e: Error) => e instanceof PipelineInvalidError && /broken\.pipeline\.yaml:4:\d+ unknown-param/.test(e.message),
    );
    // The notification's one line: the headline, then each problem by its line without the path.
    const error = (await loadPipeline(file).then(
      () => undefined,
      (e: unknown) => e,
    )) as PipelineInvalidError;
    assert.match(error.summary(), /^broken\.pipeline\.yaml has an error and cannot run: line 4:\d+ unknown-param: /);
    assert.ok(!error.summary().includes(file));
  });

  it('sums up at most three problems of an invalid file on one line', () => {
    const problems = ['/w/p.yaml:1:1 a: x', '/w/p.yaml:2:1 b: y', '/w/p.yaml:3:1 c: z', '/w/p.yaml:4:1 d: w'];
    assert.equal(problemsInBrief('/w/p.yaml', problems), 'line 1:1 a: x; line 2:1 b: y; line 3:1 c: z');
    assert.equal(
      new PipelineInvalidError('/w/p.yaml', problems).summary(),
      `p.yaml has 4 errors and cannot run: ${problemsInBrief('/w/p.yaml', problems)}`,
    );
  });
});

describe('runner: metrics and the register gate', () => {
  const yaml = (gate: string) => `pipeline: reg
steps:
  train:
    run: |
      for i in 1 2 3; do echo "{\\"key\\": \\"loss\\", \\"value\\": 0.$((4 - i)), \\"step\\": $i}" >> "$MLOPS_METRICS_FILE"; done
      echo 'model-bytes' > \${{ outputs.model }}
    outputs:
      model: { path: models/m.bin, type: model }
  evaluate:
    run: |
      echo '{"auc": 0.91, "accuracy": 0.8, "note": "n/a"}' > \${{ outputs.metrics }}
    needs: [train]
    outputs:
      metrics: { path: reports/metrics.json, type: metrics }
register:
  model: gated
  from: \${{ steps.train.outputs.model }}
  when: \${{ ${gate} }}
  stage: Staging
  alias: candidate
`;
  it('logs live and output metrics, then registers when the gate passes', async () => {
    const { result, events } = await ws.run(yaml('metrics.auc >= 0.9 && metrics.accuracy >= 0.8'), {}, 'reg');
    assert.equal(result.status, 'FINISHED');
    assert.deepEqual(result.metrics, { accuracy: 0.8, auc: 0.91, loss: 0.1 });
    const { metrics } = await ws.api.getMetricHistory({ run_id: result.runId, metric_key: 'loss' });
    assert.deepEqual(
      metrics.map((m) => [m.step, m.value]),
      [
        [1, 0.3],
        [2, 0.2],
        [3, 0.1],
      ],
    );
    assert.ok(events.some((e) => e.type === 'warning' && /skipped note \(not numbers\)/.test(e.message)));
    assert.equal(result.registered?.model, 'gated');
    assert.equal(result.registered?.stage, 'Staging');
    const { model_version } = await ws.api.getModelVersionByAlias({ name: 'gated', alias: 'candidate' });
    assert.equal(model_version.run_id, result.runId);
    assert.equal(model_version.current_stage, 'Staging');
    const copied = new URL(model_version.source);
    assert.equal(readFileSync(copied, 'utf8'), 'model-bytes\n');
    assert.ok(copied.pathname.includes(`/${result.runId}/artifacts/model/`), 'the model is copied into the run artifacts');
  });

  it('registers nothing when the gate fails, and says why', async () => {
    const { result, events } = await ws.run(yaml('metrics.auc >= 0.95'), {}, 'reg');
    assert.equal(result.status, 'FINISHED');
    assert.equal(result.registered, undefined);
    assert.match(result.registerSkipped!, /the gate `metrics\.auc >= 0\.95` is false \(accuracy = 0\.8, auc = 0\.91, loss = 0\.1\)/);
    assert.ok(events.some((e) => e.type === 'register-skipped'));
    const { model_versions } = await ws.api.searchModelVersions({ filter: "name = 'gated'" });
    assert.equal(model_versions.length, 1, 'only the version of the passing run');
  });

  it('names a metric the gate needs that the run never logged', async () => {
    const { result } = await ws.run(yaml('metrics.f1 > 0.5'), {}, 'reg');
    assert.match(result.registerSkipped!, /logged no metric f1 \(it logged accuracy, auc, loss\)/);
  });
});

describe('runner: runStep and recovery', () => {
  it('runs one step plus the needed steps whose outputs are missing', async () => {
    const yaml = `pipeline: partial-run
steps:
  a:
    run: echo a > a.txt; echo a >> order.log
    outputs: { out: a.txt }
  b:
    run: cat \${{ steps.a.outputs.out }} > b.txt; echo b >> order.log
    outputs: { out: b.txt }
  c:
    run: cat \${{ steps.b.outputs.out }} > c.txt; echo c >> order.log
    outputs: { out: c.txt }
`;
    const first = await ws.run(yaml, { steps: ['c'] }, 'partial-run');
    assert.deepEqual(
      first.result.steps.map((s) => s.step),
      ['a', 'b', 'c'],
      'nothing exists yet: all three run',
    );
    const second = await ws.run(yaml, { steps: ['c'] }, 'partial-run');
    assert.deepEqual(
      second.result.steps.map((s) => s.step),
      ['c'],
      'a and b outputs exist: only c',
    );
    assert.equal(readFileSync(path.join(ws.dir, 'order.log'), 'utf8'), 'a\nb\nc\nc\n');
  });

  it('marks FAILED a run left RUNNING by a runner process that is gone', async () => {
    const { experiment_id } = await ws.api.createExperiment({ name: 'crashed' });
    const dead = 2 ** 22 + 12345; // above the default pid_max: never a live process here
    const { run } = await ws.api.createRun({
      experiment_id,
      tags: [
        { key: 'mlops.runner.pid', value: String(dead) },
        { key: 'mlops.runner.host', value: (await import('node:os')).hostname() },
      ],
    });
    await ws.api.upsertStep({ run_id: run.info.run_id, step_id: 's', status: 'RUNNING', cached: false });
    const foreign = (await ws.api.createRun({ experiment_id })).run; // an mlflow client's run: left alone
    assert.equal(await recoverAbandonedRuns(ws.api), 1);
    assert.equal((await ws.api.getRun({ run_id: run.info.run_id })).run.info.status, 'FAILED');
    assert.equal((await ws.api.listSteps({ run_id: run.info.run_id })).steps[0]!.status, 'FAILED');
    assert.equal((await ws.api.getRun({ run_id: foreign.info.run_id })).run.info.status, 'RUNNING');
  });

  it('tags the run with the git commit when the pipeline sits in a git work tree', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', ws.dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    ws.write('tracked.pipeline.yaml', 'pipeline: tracked\nsteps:\n  one:\n    run: "true"\n');
    git('add', 'tracked.pipeline.yaml');
    git('commit', '-qm', 'pipeline');
    const head = git('rev-parse', 'HEAD');
    const { result } = await ws.run('pipeline: tracked\nsteps:\n  one:\n    run: "true"\n', {}, 'tracked');
    const { run } = await ws.api.getRun({ run_id: result.runId });
    assert.equal(run.data.tags.find((t) => t.key === 'mlflow.source.git.commit')?.value, head);
  });

  it('reports each step through events in order', async () => {
    const { events } = await ws.run('pipeline: ev\nsteps:\n  one:\n    run: echo hi\n', {}, 'ev');
    const kinds = events.map((e: RunEvent) => e.type).filter((t) => t !== 'metric');
    assert.deepEqual(kinds, ['run-started', 'step-started', 'step-output', 'step-finished', 'run-finished']);
    const output = events.find((e) => e.type === 'step-output');
    assert.equal(output?.type === 'step-output' && output.text, 'hi\n');
  });
});

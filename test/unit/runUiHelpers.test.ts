import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent, RunResult } from '../../client/src/core/runner/types';
import { paramPrompt, paramQuestion } from '../../client/src/ui/run/paramChoices';
import { endMessage, RunProgress, terminalName } from '../../client/src/ui/run/runProgress';
import { readTaskDefinition, taskName } from '../../client/src/ui/run/taskDefinition';

const result = (status: RunResult['status'], steps: RunResult['steps'] = []): RunResult => ({
  runId: 'r1',
  runName: 'owl',
  experimentId: '1',
  status,
  durationMs: 2500,
  steps,
  metrics: {},
});

describe('run progress (status bar, terminal name)', () => {
  it("counts finished steps out of the run's steps and remembers the first failure", () => {
    const progress = new RunProgress('churn.pipeline');
    assert.equal(progress.terminalName(), 'MLOps: churn.pipeline');
    const events: RunEvent[] = [
      {
        type: 'run-started',
        runId: 'r1',
        runName: 'owl',
        experimentId: '1',
        experimentName: 'e',
        pipeline: 'churn',
        pipelineFile: '/f',
        steps: ['a', 'b', 'c'],
        params: {},
        runDir: '/d',
      },
      { type: 'step-started', step: 'a', attempt: 1, maxAttempts: 1, command: 'x', logPath: '/l' },
    ];
    for (const e of events) progress.update(e);
    assert.equal(progress.statusText(), 'churn 0/3 steps');
    assert.deepEqual([...progress.running], ['a']);
    progress.update({ type: 'step-finished', step: 'a', status: 'FAILED', durationMs: 1, attempts: 1, message: 'boom' });
    progress.update({ type: 'step-finished', step: 'b', status: 'SKIPPED', durationMs: 0, attempts: 0 });
    assert.equal(progress.statusText(), 'churn 2/3 steps');
    assert.equal(progress.failed?.step, 'a');
    assert.equal(progress.terminalName(), 'MLOps: churn #owl');
    assert.equal(progress.label(), 'churn #owl');
    assert.equal(terminalName('p', 'n'), 'MLOps: p #n');
  });
});

describe('end-of-run notification', () => {
  it('is information when the run finished, naming cached steps and the registered version', () => {
    const finished = {
      ...result('FINISHED', [{ step: 'a', status: 'SUCCEEDED', durationMs: 0, attempts: 0, cachedFrom: 'r0' }]),
      registered: { model: 'm', version: '3', source: 's' },
    };
    assert.deepEqual(endMessage('churn', finished), {
      severity: 'info',
      text: 'churn #owl finished in 2.5 s (1 cached step); registered m version 3.',
    });
  });

  it('is an error naming the failing step and its message', () => {
    const failed = result('FAILED', [
      { step: 'train', status: 'FAILED', durationMs: 5, attempts: 1, exitCode: 1, message: 'output model.json is missing' },
    ]);
    assert.deepEqual(endMessage('churn', failed), {
      severity: 'error',
      text: 'churn #owl failed: step train failed (exit 1): output model.json is missing',
    });
  });

  it('is a warning when the run was cancelled', () => {
    assert.equal(endMessage('churn', result('KILLED')).severity, 'warning');
    assert.match(endMessage('churn', result('KILLED')).text, /was cancelled/);
  });
});

describe('param questions', () => {
  it('picks among enum values and booleans, the default first', () => {
    const q = paramQuestion({ name: 'model', type: 'string', enum: ['lr', 'rf', 'xgb'], default: 'rf' }, 0, 2);
    assert.equal(q.kind, 'pick');
    assert.equal(q.title, 'Run with params (1/2): model');
    assert.deepEqual(q.kind === 'pick' && q.choices.map((c) => [c.label, c.description]), [
      ['rf', 'default'],
      ['lr', undefined],
      ['xgb', undefined],
    ]);
    const b = paramQuestion({ name: 'shuffle', type: 'bool', default: false }, 1, 2);
    assert.deepEqual(b.kind === 'pick' && b.choices.map((c) => c.value), [false, true]);
  });

  it('asks for other params as text, with the default filled in and the rules in the prompt', () => {
    const q = paramQuestion({ name: 'test_size', type: 'float', default: 0.2, min: 0, max: 1, description: 'held-out share' }, 0, 1);
    assert.deepEqual(q, {
      kind: 'text',
      title: 'Run with params (1/1): test_size',
      value: '0.2',
      prompt: 'float between 0 and 1 · held-out share',
    });
    assert.equal(paramPrompt({ name: 'n', type: 'int', min: 1 }), 'int ≥ 1 (required)');
  });
});

describe('mlops task definitions', () => {
  it('needs a pipeline path and takes params as an object of scalars', () => {
    assert.deepEqual(readTaskDefinition({ type: 'mlops', pipeline: 'churn.pipeline.yaml', params: { epochs: 5, fast: true } }), {
      type: 'mlops',
      pipeline: 'churn.pipeline.yaml',
      params: { epochs: 5, fast: true },
    });
    assert.match((readTaskDefinition({ type: 'mlops' }) as { error: string }).error, /needs "pipeline"/);
    assert.match((readTaskDefinition({ type: 'mlops', pipeline: 'p', params: [1] }) as { error: string }).error, /must be an object/);
    assert.match((readTaskDefinition({ type: 'mlops', pipeline: 'p', params: { x: { y: 1 } } }) as { error: string }).error, /param x/);
  });

  it('names a task after its file and params', () => {
    assert.equal(taskName({ type: 'mlops', pipeline: 'samples/churn.pipeline.yaml' }), 'run samples/churn.pipeline.yaml');
    assert.equal(taskName({ type: 'mlops', pipeline: 'p.pipeline.yaml', params: { epochs: 5 } }), 'run p.pipeline.yaml (epochs=5)');
  });
});

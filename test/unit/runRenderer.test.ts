import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSummary } from '../../client/src/core/runner';
import type { RunEvent, RunResult } from '../../client/src/core/runner/types';
import { RunRenderer, toTerminalText } from '../../client/src/ui/run/runRenderer';

const started: RunEvent = {
  type: 'run-started',
  runId: 'r1',
  runName: 'bold-owl-1',
  experimentId: '1',
  experimentName: 'churn',
  pipeline: 'churn',
  pipelineFile: '/w/churn.pipeline.yaml',
  steps: ['a', 'b', 'c'],
  params: { epochs: 3 },
  runDir: '/w/.mlops/runs/r1',
};
const stepStarted = (step: string, attempt = 1, maxAttempts = 1): RunEvent => ({
  type: 'step-started',
  step,
  attempt,
  maxAttempts,
  command: `make ${step}`,
  logPath: `/w/.mlops/runs/r1/${step}.log`,
});
const out = (step: string, text: string): RunEvent => ({ type: 'step-output', step, stream: 'stdout', text });
const done = (step: string, extra: Partial<RunResult['steps'][number]> = {}): RunEvent => ({
  type: 'step-finished',
  step,
  status: 'SUCCEEDED',
  durationMs: 1200,
  attempts: 1,
  ...extra,
});

/** Renders events in plain text and returns the terminal text with CRLF turned back into LF. */
function render(events: RunEvent[], options: ConstructorParameters<typeof RunRenderer>[0] = {}): string {
  const renderer = new RunRenderer({ color: false, ...options });
  return events
    .map((e) => renderer.render(e))
    .join('')
    .replace(/\r\n/g, '\n');
}

describe('run terminal renderer', () => {
  it('writes CRLF only: a Pseudoterminal does not turn LF into a new line', () => {
    assert.equal(toTerminalText('a\nb\r\nc'), 'a\r\nb\r\nc');
    const renderer = new RunRenderer({ color: false });
    const text = [started, stepStarted('a'), out('a', 'one\ntwo\n'), done('a')].map((e) => renderer.render(e)).join('');
    assert.doesNotMatch(text, /[^\r]\n/);
  });

  it('gives each step a header, its output as it comes and its elapsed time', () => {
    const text = render([started, stepStarted('a'), out('a', 'loading'), out('a', '... done\n'), done('a')]);
    assert.match(text, /MLOps run bold-owl-1 of pipeline churn/);
    assert.match(text, /steps: a → b → c {3}params: epochs=3/);
    assert.match(text, /▶ a {2}\$ make a\nloading\.\.\. done\n✔ a succeeded in 1\.2 s\n/);
  });

  it('shows the attempt when a step may retry, and the retry itself', () => {
    const text = render([
      stepStarted('a', 1, 3),
      { type: 'step-retry', step: 'a', attempt: 1, maxAttempts: 3, reason: 'exit 1' },
      stepStarted('a', 2, 3),
    ]);
    assert.match(text, /▶ a attempt 1\/3/);
    assert.match(text, /↻ a: attempt 1\/3 failed \(exit 1\); retrying/);
    assert.match(text, /▶ a attempt 2\/3/);
  });

  it('prefixes whole lines with the step name while steps run in parallel', () => {
    const text = render([
      stepStarted('a'),
      stepStarted('b'),
      out('a', 'a1\na'),
      out('b', 'b1\n'),
      out('a', '2\n'),
      out('b', 'tail'),
      done('b'),
      done('a'),
    ]);
    assert.match(text, /\[a\] a1\n\[b\] b1\n\[a\] a2\n\[b\] tail\n✔ b succeeded/);
  });

  it('starts a header on a new line when the output before it did not end its line', () => {
    const text = render([stepStarted('a'), out('a', 'no newline'), done('a')]);
    assert.match(text, /no newline\n✔ a succeeded/);
  });

  it('says why a step failed, where its log is, and which steps were cached or skipped', () => {
    const text = render([
      done('a', { cachedFrom: 'r0', durationMs: 0 }),
      done('b', { status: 'FAILED', exitCode: 2, message: 'output model.json is missing', logPath: '/w/b.log' }),
      done('c', { status: 'SKIPPED', message: 'b failed' }),
      { type: 'warning', step: 'b', message: 'slow disk' },
    ]);
    assert.match(text, /✔ a cached \(reused run r0\)/);
    assert.match(text, /✖ b failed \(exit 2\) after 1\.2 s: output model\.json is missing {2}log: \/w\/b\.log/);
    assert.match(text, /○ c skipped: b failed/);
    assert.match(text, /⚠ b: slow disk/);
  });

  it('shows metric lines only when asked', () => {
    const metric: RunEvent = { type: 'metric', step: 'a', key: 'loss', value: 0.25, stepNumber: 1 };
    assert.equal(render([metric]), '');
    assert.match(render([metric], { metrics: true }), /\[a\] metric loss = 0\.25 \(step 1\)/);
  });

  it('ends with the summary table, the registered model and a status line', () => {
    const result: RunResult = {
      runId: 'r1',
      runName: 'bold-owl-1',
      experimentId: '1',
      status: 'FINISHED',
      durationMs: 3400,
      steps: [{ step: 'a', status: 'SUCCEEDED', durationMs: 1200, attempts: 1 }],
      metrics: { auc: 0.91 },
      registered: { model: 'churn', version: '2', stage: 'Staging', alias: 'candidate', source: 'x' },
    };
    const text = render(
      [
        { type: 'registered', version: result.registered! },
        { type: 'run-finished', ...result },
      ],
      { formatSummary },
    );
    assert.match(text, /★ Registered model churn version 2 \(stage Staging, alias @candidate\)/);
    assert.match(text, /step +status +duration +cached\n/);
    assert.match(text, /a +SUCCEEDED +1\.2 s +no/);
    assert.match(text, /metrics: auc=0\.91/);
    assert.match(text, /✔ Run bold-owl-1 finished in 3\.4 s\.\n$/);
  });

  it('colours headers with ANSI unless asked not to', () => {
    const coloured = new RunRenderer().render(stepStarted('a'));
    assert.ok(coloured.includes('\x1b[1;36m▶ a\x1b[0m'), JSON.stringify(coloured));
  });
});

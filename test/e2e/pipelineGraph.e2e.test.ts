import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { copyChurnSample } from '../helpers/cli';
import { webviewFrame } from './chartFrames';
import { launchWorkbench, packagedVsix, type Workbench } from './harness';

const STEPS = ['training_set', 'preprocess', 'train', 'evaluate'];

/**
 * The pipeline graph as the live view of a run, in a real VS Code on samples/churn: with the
 * graph open, "Run pipeline" from the code lens takes every node through running to succeeded;
 * a second run shows every node cached, naming the first run; a node opens its log, the run
 * picker shows the first run again, and "Run Step" from a node's menu runs that step alone.
 */
describe('the pipeline graph follows runs in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;
  let scratch: string;
  let frame: Frame;

  /** Each node's data-state, by step id, as the page shows it now. */
  const states = (): Promise<Record<string, string>> =>
    frame.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll<SVGGElement>('g.node')].map((g) => [g.dataset['step'] ?? '', g.dataset['state'] ?? '']),
      ),
    );
  const statusOf = (step: string): Promise<string> =>
    frame.evaluate((id) => document.querySelector(`g.node[data-step="${id}"] .status`)?.textContent ?? '', step);
  const runShown = (): Promise<string> => frame.evaluate(() => document.body.dataset['runId'] ?? '');
  const allIn = async (state: string) => {
    const now = await states();
    return STEPS.every((s) => now[s] === state);
  };
  const clickLens = async () => {
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run pipeline' });
    await wb.waitFor('the Run pipeline code lens', async () => (await lens.count()) > 0, 60_000);
    await lens.first().click();
  };

  /** Each run opens its terminal in the panel, over the lower part of the graph: hide it before pointing at nodes. */
  const hideTerminal = async () => {
    const panel = wb.page.locator('.part.panel').first();
    // The palette lists "View: Hide Panel" only while the panel shows.
    if (!(await panel.isVisible().catch(() => false))) return;
    await wb.runCommand('View: Hide Panel');
    await wb.waitFor('the panel hidden', async () => !(await panel.isVisible().catch(() => false)));
  };

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-e2e-graph-'));
    workspace = path.join(scratch, 'churn');
    copyChurnSample(workspace);
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'pipelineGraph' });
    await wb.openFile('churn.pipeline.yaml');
    await wb.waitFor('the tracking store to open', async () => existsSync(path.join(workspace, '.mlops/server.json')), 60_000);
  });

  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('shows each node running, then succeeded, while the pipeline runs from the code lens', async () => {
    await wb.runCommand('MLOps: Show Pipeline Graph');
    frame = await webviewFrame(wb, 'the pipeline graph with its four steps', 'g.node[data-step="evaluate"]', 60_000);
    assert.deepEqual(Object.keys(await states()), STEPS);
    assert.ok(
      Object.values(await states()).every((s) => s === 'none'),
      'no run yet',
    );
    // Record every state each node passes through (the page sets data-state as the store's changes arrive).
    await frame.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { seenStates: typeof seen }).seenStates = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          const g = r.target as SVGGElement;
          const step = g.dataset['step'];
          const state = g.dataset['state'];
          if (!step || !state) continue;
          const list = (seen[step] ??= []);
          if (list.at(-1) !== state) list.push(state);
        }
      }).observe(document.body, { attributes: true, attributeFilter: ['data-state'], subtree: true });
    });

    await clickLens();
    await wb.waitFor('every node succeeded', () => allIn('succeeded'), 180_000);
    const seen = await frame.evaluate(() => (window as unknown as { seenStates: Record<string, string[]> }).seenStates);
    assert.ok(
      STEPS.some((s) => seen[s]?.includes('running')),
      `a node was drawn running before it succeeded: ${JSON.stringify(seen)}`,
    );
    for (const s of STEPS) assert.equal(seen[s]?.at(-1), 'succeeded', `${s}: ${JSON.stringify(seen[s])}`);
    assert.match(await statusOf('train'), /^succeeded · \d/);
    await wb.screenshot('graph-succeeded');
  });

  it('shows every node cached on a second run, naming the run it came from; a node opens its log', async () => {
    const first = await runShown();
    assert.ok(first, 'the first run is shown');
    const firstName = await frame.evaluate(() => document.querySelector('.run-summary')?.textContent?.split(' · ')[0] ?? '');
    // The first run's end notification may still be on screen; the lens is in the editor beside the graph.
    await clickLens();
    await wb.waitFor('the second run shown', async () => (await runShown()) !== first, 60_000);
    await wb.waitFor('every node cached', () => allIn('cached'), 120_000);
    assert.equal(await statusOf('evaluate'), `cached from ${firstName}`);
    await hideTerminal();

    // The tooltip: inputs and outputs with their sizes, and the metrics evaluate logged.
    await frame.locator('g.node[data-step="evaluate"]').hover();
    const tooltip = frame.locator('#step-tooltip');
    await wb.waitFor('the tooltip with sizes and metrics', async () => {
      const text = (await tooltip.textContent().catch(() => '')) ?? '';
      return /reports\/metrics\.json \(\d+(\.\d)? (B|KB)\)/.test(text) && /auc:\s*0\.8/.test(text);
    });

    await wb.screenshot('graph-tooltip');
    // A click on a cached node opens the log of the run it came from.
    await frame.locator('g.node[data-step="evaluate"]').click();
    await wb.waitFor(
      'evaluate.log open in an editor',
      async () => (await wb.page.locator('.tab', { hasText: 'evaluate.log' }).count()) > 0,
    );

    // The picker shows the first run again.
    await frame.locator('#run-picker').selectOption(first);
    await wb.waitFor('the first run drawn again', async () => (await runShown()) === first && (await allIn('succeeded')));
  });

  it('runs one step from its node menu ("Run Step")', async () => {
    const before = await runShown();
    await frame.locator('#run-picker').selectOption('latest');
    await hideTerminal();
    await frame.locator('g.node[data-step="evaluate"]').click({ button: 'right' });
    await frame.locator('.menu .menu-item', { hasText: 'Run Step' }).click();
    await wb.waitFor(
      'the one-step run shown',
      async () => {
        const run = await runShown();
        if (run === before || run === '') return false;
        const now = await states();
        return now['evaluate'] === 'cached' && now['training_set'] === 'none';
      },
      120_000,
    );
    assert.equal(await statusOf('training_set'), 'not in this run');
    await wb.screenshot('graph-run-step');
  });
});

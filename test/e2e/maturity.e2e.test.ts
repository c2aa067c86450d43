import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { copyChurnSample } from '../helpers/cli';
import { collapseSideBarPanes } from './chartFrames';
import { launchWorkbench, packagedVsix, type Workbench } from './harness';

/**
 * The maturity ladder in a real VS Code, on samples/churn: the Getting Started walkthrough opens and
 * its "Track a run" step completes after a run; the Maturity view shows level 1 after that run, and a
 * higher level after "Set Up CI/CD" and a drift check.
 */
describe('the maturity ladder in a real VS Code', () => {
  let wb: Workbench;
  let scratch: string;
  let workspace: string;
  const pane = (): Locator => wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: /^\s*Maturity/i }) });
  const levelRow = () => pane().locator('.monaco-list-row', { hasText: /^Level \d of 4/ });
  const levelText = async () => ((await levelRow().count()) ? await levelRow().first().innerText() : '');
  const quickRow = (label: string | RegExp) =>
    wb.page.locator('.quick-input-widget .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: label }) });
  const lens = (title: string) => wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: title });
  const step = (title: string) => wb.page.locator('.getting-started-step', { hasText: title });
  /** A walkthrough step's checkbox is a codicon, marked complete (getting-started-step-checked) once the step is done. */
  const complete = async (title: string) =>
    (await step(title).first().locator('.codicon.complete, .codicon-getting-started-step-checked').count()) > 0;

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-e2e-maturity-'));
    workspace = path.join(scratch, 'churn');
    copyChurnSample(workspace);
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'maturity' });
    await wb.openFile('churn.pipeline.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('opens the walkthrough, whose "Track a run" step completes once the pipeline has run', async () => {
    await wb.runCommand('MLOps: Get Started: Climb the Maturity Ladder');
    await wb.waitFor('the walkthrough’s steps', async () => (await step('Track a run').count()) > 0, 30_000);
    assert.equal(await complete('Track a run'), false, 'no run yet');

    await wb.openFile('churn.pipeline.yaml');
    await wb.waitFor('the tracking store to open', async () => existsSync(path.join(workspace, '.mlops/server.json')), 60_000);
    await wb.waitFor('the Run pipeline code lens', async () => (await lens('Run pipeline').count()) > 0, 60_000);
    await lens('Run pipeline').first().click();
    await wb.waitFor(
      'the run to finish',
      async () => (await wb.notifications()).some((n) => /customer-churn #\S+ finished/.test(n)),
      120_000,
    );

    await wb.runCommand('MLOps: Get Started: Climb the Maturity Ladder');
    await wb.waitFor('the "Track a run" step to be complete', () => complete('Track a run'), 30_000);
    await wb.screenshot('walkthrough');
  });

  it('shows level 1 after the run, and a higher level after Set Up CI/CD and a drift check', async () => {
    await wb.runCommand('MLOps: Focus on Maturity View');
    await collapseSideBarPanes(wb, ['Pipelines', 'Experiments', 'Model Registry', 'Monitors']);
    await wb.waitFor('level 1 in the Maturity view', async () => /^Level 1 of 4/.test(await levelText()), 60_000);
    const texts = await pane().locator('.monaco-list-row').allInnerTexts();
    assert.ok(
      texts.some((t) => /CI\/CD for ML/.test(t) && /no CI workflow/.test(t)),
      texts.join('\n'),
    );

    await wb.runCommand('MLOps: Set Up CI/CD');
    await wb.waitFor('the CI systems', async () => (await quickRow('GitHub Actions').count()) > 0);
    await quickRow('GitHub Actions').first().click();
    await wb.waitFor('the monitors', async () => (await quickRow('churn.monitor.yaml').count()) > 0);
    await quickRow('churn.monitor.yaml').first().click();
    const workflow = path.join(workspace, '.github/workflows/mlops.yml');
    await wb.waitFor('the workflow file', async () => existsSync(workflow), 60_000);
    assert.match(readFileSync(workflow, 'utf8'), /mlops validate --format github \./);
    // CI makes level 2, and the sample's monitor already retrains with the pipeline: level 3.
    await wb.waitFor('level 3 after Set Up CI/CD', async () => /^Level 3 of 4/.test(await levelText()), 60_000);

    await wb.openFile('churn.monitor.yaml');
    await wb.waitFor('the Check drift code lens', async () => (await lens('Check drift').count()) > 0, 60_000);
    await lens('Check drift').first().click();
    await wb.runCommand('MLOps: Focus on Maturity View');
    await wb.waitFor('level 4 after a drift check', async () => /^Level 4 of 4/.test(await levelText()), 90_000);
    await wb.screenshot('maturity');
  });
});

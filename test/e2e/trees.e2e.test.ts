import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { copyChurnSample, mlops } from '../helpers/cli';
import { collapseSideBarPanes } from './chartFrames';
import { launchWorkbench, packagedVsix, type Workbench } from './harness';

/**
 * The Experiments and Model Registry views in a real VS Code, on samples/churn:
 * run the pipeline, find the run with its metrics and steps in Experiments,
 * promote the registered version to Production from the command palette, and
 * see the Model Registry follow.
 */
describe('the Experiments and Model Registry views in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;
  let scratch: string;

  /** The rows of one view of the MLOps side bar, as "label description" texts. */
  const pane = (title: string): Locator =>
    wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }) });
  const rows = (title: string): Locator => pane(title).locator('.monaco-list-row');
  /** Each row as "label description" (the page puts no space between the two). */
  const rowTexts = async (title: string): Promise<string[]> =>
    rows(title).evaluateAll((els) =>
      els.map((el) =>
        [el.querySelector('.label-name'), el.querySelector('.label-description')]
          .map((e) => (e?.textContent ?? '').trim())
          .filter(Boolean)
          .join(' '),
      ),
    );
  const row = (title: string, label: string | RegExp): Locator =>
    rows(title).filter({ has: wb.page.locator('.label-name', { hasText: label }) });
  /** Expands a collapsed row (a click toggles it). */
  const expand = async (title: string, label: string | RegExp) => {
    const target = row(title, label).first();
    if ((await target.getAttribute('aria-expanded')) !== 'true') await target.click();
  };

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-e2e-trees-'));
    workspace = path.join(scratch, 'churn');
    copyChurnSample(workspace);
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'trees' });
    await wb.openFile('churn.pipeline.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs samples/churn and shows the run in Experiments with its metrics and steps', async () => {
    await wb.waitFor('the tracking store to open', async () => existsSync(path.join(workspace, '.mlops/server.json')), 60_000);
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run pipeline' });
    await wb.waitFor('the Run pipeline code lens', async () => (await lens.count()) > 0, 60_000);
    await lens.first().click();
    await wb.waitFor(
      'the run to finish',
      async () => (await wb.notifications()).some((n) => /customer-churn #\S+ finished/.test(n)),
      120_000,
    );

    await wb.runCommand('MLOps: Focus on Experiments View');
    // Six views share the side bar: fold the others so the Experiments rows are in the page (the list is virtual).
    await collapseSideBarPanes(wb, ['Pipelines', 'Monitors', 'Feature Store', 'Maturity', 'Model Registry']);
    await wb.waitFor(
      'the experiment in the Experiments view',
      async () => (await row('Experiments', 'customer_churn_prediction').count()) > 0,
      30_000,
    );
    await expand('Experiments', 'customer_churn_prediction');
    // The run row: its name, duration, start time and key metric (auc).
    await wb.waitFor(
      'the run row with its key metric',
      async () => (await rowTexts('Experiments')).some((t) => /auc 0\.8434/.test(t)),
      30_000,
    );
    const runRow = rows('Experiments')
      .filter({ hasText: /auc 0\.8434/ })
      .first();
    await runRow.click();
    await expand('Experiments', /^Metrics$/);
    await wb.waitFor('the metrics of the run', async () => {
      const texts = await rowTexts('Experiments');
      return texts.some((t) => /^auc 0\.8434/.test(t)) && texts.some((t) => /^accuracy 0\.81/.test(t));
    });
    // Rows below the fold are not in the page (the list is virtual): fold the metrics away first.
    await row('Experiments', /^Metrics$/)
      .first()
      .click();
    await collapseSideBarPanes(wb, ['Pipelines', 'Model Registry', 'Monitors']);
    await expand('Experiments', /^Steps$/);
    await wb.waitFor('the steps of the run', async () => {
      const texts = await rowTexts('Experiments');
      return ['training_set', 'preprocess', 'train', 'evaluate'].every((s) => texts.some((t) => new RegExp(`^${s} succeeded`).test(t)));
    });
    await wb.screenshot('experiments');
  });

  it('promotes the registered version to Production from the command palette, and the Model Registry follows', async () => {
    const quickInput = wb.page.locator('.quick-input-widget');
    const pick = async (label: string | RegExp) => {
      const item = quickInput
        .locator('.monaco-list-row')
        .filter({ has: wb.page.locator('.label-name', { hasText: label }) })
        .filter({ visible: true });
      await wb.waitFor(`the quick pick item ${String(label)}`, async () => (await item.count()) > 0);
      await item.first().click();
    };
    await wb.page.keyboard.press('F1');
    await quickInput.locator('.quick-input-box input').fill('>MLOps: Promote Model');
    await pick('MLOps: Promote Model…');
    await pick('customer_churn');
    await pick(/^v1$/);
    await pick(/^Production$/);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await wb.waitFor('the Production confirmation', async () => (await dialog.count()) > 0);
    await dialog.locator('.monaco-button', { hasText: 'Promote' }).click();
    await wb.waitFor('the promotion message', async () =>
      (await wb.notifications()).some((n) => /customer_churn version 1 moved to Production/.test(n)),
    );

    await wb.runCommand('MLOps: Focus on Model Registry View');
    await wb.waitFor(
      'the model in the Model Registry view',
      async () => (await row('Model Registry', 'customer_churn').count()) > 0,
      30_000,
    );
    await expand('Model Registry', 'customer_churn');
    await wb.waitFor(
      'v1 in Production',
      async () => (await rowTexts('Model Registry')).some((t) => /^v1 Production · @candidate/.test(t)),
      30_000,
    );
    await wb.screenshot('registry');

    const listed = mlops(['models', 'list', '--json', '--workspace', workspace], workspace);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /"current_stage": ?"Production"/);
  });
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { copyChurnSample } from '../helpers/cli';
import { launchWorkbench, packagedVsix, type Workbench } from './harness';

/** A scratch copy of samples/churn as committed (the drifted batch in data/incoming). */
function churnCopy(prefix: string): { scratch: string; workspace: string } {
  const scratch = mkdtempSync(path.join(tmpdir(), prefix));
  const workspace = path.join(scratch, 'churn');
  copyChurnSample(workspace);
  return { scratch, workspace };
}

/**
 * Drift monitoring in a real VS Code, on samples/churn: "Check drift" from the
 * code lens finds the drifted columns, the notification offers Retrain, the
 * report webview shows the per-column table, the Monitors view shows the
 * status, and Retrain runs the pipeline after a confirmation.
 */
describe('drift monitoring in a real VS Code', () => {
  let wb: Workbench;
  let scratch: string;
  let workspace: string;

  /** The visible toast whose message matches, with its buttons. */
  const toast = (message: RegExp): Locator =>
    wb.page
      .locator('.notifications-toasts .notification-list-item')
      .filter({ has: wb.page.locator('.notification-list-item-message', { hasText: message }) });
  const lens = () => wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Check drift' });

  before(async () => {
    ({ scratch, workspace } = churnCopy('mlops-e2e-monitoring-'));
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'monitoring' });
    await wb.openFile('churn.monitor.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('checks drift from the code lens: the notification names the drift and offers Show Report and Retrain', async () => {
    await wb.waitFor('the tracking store to open', async () => existsSync(path.join(workspace, '.mlops/server.json')), 60_000);
    await wb.waitFor('the Check drift code lens', async () => (await lens().count()) > 0, 60_000);
    await lens().first().click();
    const drift = toast(/drift in churn-monitor: 2 of 5 columns drifted \(dataset drift\)/);
    await wb.waitFor('the drift notification', async () => (await drift.count()) > 0, 60_000);
    const buttons = await drift.first().locator('.monaco-button').allInnerTexts();
    assert.ok(
      buttons.some((b) => /Retrain/.test(b)),
      `buttons: ${buttons.join(', ')}`,
    );
    assert.ok(
      buttons.some((b) => /Show Report/.test(b)),
      `buttons: ${buttons.join(', ')}`,
    );
    await wb.screenshot('notification');
    await drift.first().locator('.monaco-button', { hasText: 'Show Report' }).click();
  });

  let report: Frame | undefined;
  it('shows the report webview with the drifted columns', async () => {
    await wb.waitFor(
      'the drift report to list the drifted columns',
      async () => {
        for (const frame of wb.page.frames()) {
          const shown = await frame
            .evaluate(() => ({
              title: document.querySelector('h1')?.textContent,
              status: document.querySelector('.badge')?.getAttribute('data-status'),
              drifted: [...document.querySelectorAll('table.columns tbody tr[data-drift="true"] .column')].map((c) => c.textContent),
              rows: document.querySelectorAll('table.columns tbody tr').length,
            }))
            .catch(() => undefined);
          if (shown?.title === 'churn-monitor' && shown.rows === 5) {
            assert.equal(shown.status, 'drift');
            assert.deepEqual(shown.drifted, ['avg_order_value', 'days_since_last_order']);
            report = frame;
            return true;
          }
        }
        return false;
      },
      45_000,
    );
    const performance = await report!.locator('section.performance').innerText();
    assert.match(performance, /Not compared: no live metrics yet: reports\/live_metrics\.json not found/);
    assert.equal(await report!.locator('table.past tbody tr').count(), 1);
    await wb.screenshot('report');
  });

  it('draws the histograms and ECDFs of the first drifted column, with the KS distance, and of a column picked in the table', async () => {
    const charts = report!.locator('section.distributions .charts');
    await wb.waitFor('two drawn charts of avg_order_value', async () => {
      if ((await charts.getAttribute('data-column')) !== 'avg_order_value') return false;
      const drawn = await charts
        .locator('canvas')
        .evaluateAll((canvases) => canvases.map((c) => (c as HTMLCanvasElement).width > 0 && (c as HTMLCanvasElement).height > 0));
      return drawn.length === 2 && drawn.every(Boolean);
    });
    const distance = Number(await charts.locator('.ecdf').getAttribute('data-gap-distance'));
    assert.ok(distance > 0.2 && distance < 1, `KS distance ${distance}`);
    await wb.screenshot('distributions');
    await report!.locator('table.columns tbody tr', { hasText: 'plan' }).click();
    await wb.waitFor(
      'the category chart of plan',
      async () => (await charts.getAttribute('data-column')) === 'plan' && (await charts.locator('canvas').count()) === 1,
    );
  });

  it("shows the monitor's last status in the Monitors view", async () => {
    await wb.runCommand('MLOps: Focus on Monitors View');
    const rows = wb.page
      .locator('.pane', { has: wb.page.locator('.pane-header', { hasText: /^\s*Monitors/i }) })
      .locator('.monaco-list-row');
    await wb.waitFor(
      'the churn-monitor row with status drift',
      async () => {
        const texts = await rows.allInnerTexts();
        return texts.some((t) => /churn-monitor/.test(t) && /drift/.test(t));
      },
      30_000,
    );
  });

  it('retrains from the report: after the confirmation the pipeline runs with on_drift.params', async () => {
    await report!.locator('button', { hasText: 'Retrain' }).click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    await wb.waitFor(
      'the retraining confirmation',
      async () => (await dialog.count()) > 0 && /input_data=data\/labels-batch-001\.csv/.test(await dialog.innerText()),
    );
    await dialog.locator('.monaco-button', { hasText: 'Run Pipeline' }).click();
    await wb.waitFor(
      'the retraining run to finish',
      async () => (await wb.notifications()).some((n) => /customer-churn #\S+ finished/.test(n)),
      120_000,
    );
    assert.ok(existsSync(path.join(workspace, 'models/model.json')));
  });
});

describe('drift checks in Restricted Mode', () => {
  let wb: Workbench;
  let scratch: string;

  before(async () => {
    let workspace: string;
    ({ scratch, workspace } = churnCopy('mlops-e2e-monitoring-untrusted-'));
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'monitoring-restricted', trusted: false });
    await wb.openFile('churn.monitor.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('checks nothing and says why', async () => {
    await wb.runCommand('MLOps: Check Drift');
    await wb.waitFor(
      'the Restricted Mode message',
      async () => (await wb.notifications()).some((n) => /drift checks do not run in Restricted Mode/.test(n)),
      30_000,
    );
  });
});

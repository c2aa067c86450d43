import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import type { Run } from '../../client/src/core/tracking/repository';
import { copyChurnSample, startServe } from '../helpers/cli';
import { collapseSideBarPanes } from './chartFrames';
import { launchWorkbench, packagedVsix, type Workbench } from './harness';

const TOKEN = 'e2e-remote-token-0123456789abcdef';

/**
 * A team's MLflow server as the store, in a real VS Code: `mlops.tracking.uri` points at a second
 * workspace's `mlops serve --mlflow-only`. The status bar names the host; samples/churn runs from
 * the code lens; the run shows in Experiments with its three steps, which are nested runs on the
 * server; Promote Model moves the version on the server; the workspace keeps no database.
 */
describe('a remote MLflow server as the store in a real VS Code', () => {
  let wb: Workbench;
  let scratch: string;
  let workspace: string;
  let serve: ChildProcess;
  let url = '';

  const call = async (method: string, p: string, body?: unknown): Promise<Record<string, unknown>> => {
    const r = await fetch(`${url}/api/2.0/mlflow/${p}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await r.json()) as Record<string, unknown>;
    assert.equal(r.status, 200, `${p}: ${JSON.stringify(json)}`);
    return json;
  };
  const pane = (title: string): Locator =>
    wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }) });
  const rows = (title: string): Locator => pane(title).locator('.monaco-list-row');
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
  const expand = async (title: string, label: string | RegExp) => {
    const target = row(title, label).first();
    if ((await target.getAttribute('aria-expanded')) !== 'true') await target.click();
  };

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-e2e-remote-'));
    ({ process: serve, url } = await startServe(path.join(scratch, 'server'), ['--mlflow-only'], {
      ...process.env,
      MLOPS_SERVE_TOKEN: TOKEN,
    }));
    workspace = path.join(scratch, 'churn');
    copyChurnSample(workspace);
    mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'mlops.tracking.uri': url }, null, 2));
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'remote', env: { MLFLOW_TRACKING_TOKEN: TOKEN } });
    await wb.openFile('churn.pipeline.yaml');
  });

  after(async () => {
    await wb?.close();
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('names the remote host in the status bar', async () => {
    const host = new URL(url).host;
    await wb.waitFor(
      'the status bar to name the tracking server',
      async () => (await wb.statusBarTexts()).some((t) => t.includes(`Tracking: ${host}`)),
      60_000,
    );
  });

  it('runs samples/churn from the lens into the server: Experiments shows the run and its steps, which are nested runs', async () => {
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run pipeline' });
    await wb.waitFor('the Run pipeline code lens', async () => (await lens.count()) > 0, 60_000);
    await lens.first().click();
    await wb.waitFor(
      'the run to finish',
      async () => (await wb.notifications()).some((n) => /customer-churn #\S+ finished/.test(n)),
      120_000,
    );
    assert.equal(existsSync(path.join(workspace, '.mlops', 'tracking.db')), false, 'no workspace database');

    const { experiment } = (await call('GET', 'experiments/get-by-name?experiment_name=customer_churn_prediction')) as {
      experiment: { experiment_id: string };
    };
    const { runs = [] } = (await call('POST', 'runs/search', { experiment_ids: [experiment.experiment_id] })) as { runs?: Run[] };
    const parent = runs.find((r) => !r.data.tags.some((t) => t.key === 'mlflow.parentRunId'))!;
    const nested = runs.filter((r) => r.data.tags.some((t) => t.key === 'mlflow.parentRunId' && t.value === parent.info.run_id));
    assert.deepEqual(nested.map((r) => r.info.run_name).sort(), ['evaluate', 'preprocess', 'train', 'training_set']);

    await wb.runCommand('MLOps: Focus on Experiments View');
    // Six views share the side bar: fold the others so the Experiments rows are in the page (the list is virtual).
    await collapseSideBarPanes(wb, ['Pipelines', 'Monitors', 'Feature Store', 'Maturity', 'Model Registry']);
    await wb.waitFor(
      'the experiment in the Experiments view',
      async () => (await row('Experiments', 'customer_churn_prediction').count()) > 0,
      30_000,
    );
    await expand('Experiments', 'customer_churn_prediction');
    await wb.waitFor(
      'the run row with its key metric',
      async () => (await rowTexts('Experiments')).some((t) => /auc 0\.8434/.test(t)),
      30_000,
    );
    await rows('Experiments')
      .filter({ hasText: /auc 0\.8434/ })
      .first()
      .click();
    // The steps' nested runs are rows of the experiment beside the pipeline's run.
    const texts = await rowTexts('Experiments');
    for (const step of ['training_set', 'preprocess', 'train', 'evaluate'])
      assert.ok(
        texts.some((t) => new RegExp(`^${step} \\d`).test(t)),
        texts.join(' | '),
      );
    await collapseSideBarPanes(wb, ['Pipelines', 'Model Registry', 'Monitors']);
    await expand('Experiments', /^Steps$/);
    // The first step row (the list is virtual: the rest are below the fold) reads from the nested runs.
    await wb.waitFor('the steps of the run', async () => (await rowTexts('Experiments')).some((t) => /^training_set succeeded/.test(t)));
    await wb.screenshot('remote-experiments');
  });

  it('promotes the registered version to Production on the server', async () => {
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
    const { model_version } = (await call('GET', 'model-versions/get?name=customer_churn&version=1')) as {
      model_version: { current_stage: string };
    };
    assert.equal(model_version.current_stage, 'Production');
  });
});

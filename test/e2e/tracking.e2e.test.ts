import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixtureWorkspace, launchWorkbench, packagedVsix, type Workbench } from './harness';

describe('the tracking store in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;
  let endpoint: { url: string; token: string; pid: number };

  const call = async (method: string, route: string, body?: unknown, token = endpoint.token) =>
    fetch(`${endpoint.url}/api/2.0/mlflow/${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/e2e-tracking', 'mlops-e2e-tracking-');
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'tracking' });
    await wb.openFile('register.pipeline.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('opens the workspace store in its worker and serves the MLflow endpoint listed in .mlops/server.json', async () => {
    const info = path.join(workspace, '.mlops/server.json');
    await wb.waitFor('the extension to list its tracking endpoint', async () => existsSync(info), 60_000);
    endpoint = JSON.parse(readFileSync(info, 'utf8')) as typeof endpoint;
    assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const byName = await call('GET', 'experiments/get-by-name?experiment_name=Default');
    assert.equal(byName.status, 200);
    assert.equal(((await byName.json()) as { experiment: { experiment_id: string } }).experiment.experiment_id, '0');
    assert.equal((await call('GET', 'experiments/get-by-name?experiment_name=Default', undefined, 'wrong')).status, 401);
    await wb.waitFor('the tracking status bar item', async () => (await wb.statusBarTexts()).some((t) => t.includes('Tracking')));
  });

  it('offers a model registered through the endpoint when completing register.model', async () => {
    const created = await call('POST', 'registered-models/create', { name: 'customer_churn' });
    assert.equal(created.status, 200, await created.text());
    // Line 8 is `  model: `; column 10 is after the space.
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    const rows = wb.page.locator('.editor-widget.suggest-widget .monaco-list-row');
    let labels: string[] = [];
    await wb.waitFor('the registered model name in the suggest widget', async () => {
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.press('Control+G');
      await wb.page.keyboard.type('8:10');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.press('Control+Space');
      await new Promise((r) => setTimeout(r, 500));
      labels = (await rows.allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
      return labels.includes('customer_churn');
    });
    await wb.screenshot('registered-model-completion');
    await wb.page.keyboard.press('Escape');
  });
});

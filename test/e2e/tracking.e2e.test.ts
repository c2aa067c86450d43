import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('turns the status bar item into a warning past the store ceiling (mlops.tracking.ceilingPoints), and back', async () => {
    const created = await call('POST', 'runs/create', { experiment_id: '0', start_time: Date.now() });
    const body = await created.text();
    assert.equal(created.status, 200, body);
    const runId = (JSON.parse(body) as { run: { info: { run_id: string } } }).run.info.run_id;
    for (let batch = 0; batch < 2; batch++) {
      const metrics = Array.from({ length: 600 }, (_, i) => ({
        key: 'loss',
        value: 1 / (i + 1),
        timestamp: Date.now(),
        step: batch * 600 + i,
      }));
      const logged = await call('POST', 'runs/log-batch', { run_id: runId, metrics });
      assert.equal(logged.status, 200, await logged.text());
    }
    const item = wb.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Tracking: workspace' });
    const looks = async () =>
      item.first().evaluate((el) => ({ warning: el.classList.contains('warning-kind'), icon: !!el.querySelector('.codicon-warning') }));
    assert.deepEqual(await looks(), { warning: false, icon: false }, '1,200 points are far below the default ceiling');
    const settings = path.join(workspace, '.vscode', 'settings.json');
    mkdirSync(path.dirname(settings), { recursive: true });
    // The setting applies at once: the store's size is checked again against the new ceiling.
    writeFileSync(settings, JSON.stringify({ 'mlops.tracking.ceilingPoints': 1000 }));
    await wb.waitFor('the warning item past a 1,000-point ceiling', async () => (await looks()).warning);
    assert.deepEqual(await looks(), { warning: true, icon: true });
    await wb.screenshot('store-ceiling-warning');
    writeFileSync(settings, JSON.stringify({ 'mlops.tracking.ceilingPoints': 1_000_000 }));
    await wb.waitFor('the plain item again under a 1,000,000-point ceiling', async () => !(await looks()).warning);
    assert.deepEqual(await looks(), { warning: false, icon: false });
  });
});

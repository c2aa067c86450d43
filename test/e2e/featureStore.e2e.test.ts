import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { copyChurnSample } from '../helpers/cli';
import { webviewFrame } from './chartFrames';
import { launchWorkbench, packagedVsix, type Workbench } from './harness';

/**
 * The feature store in a real VS Code, on samples/churn with one fresh feature
 * row: the "Preview" lens opens the preview with its rows and histograms,
 * "Materialize" fills the online store, "Get Online Features…" shows the fresh
 * value as PRESENT, the Feature Store view shows the materialisation, and
 * "Build Training Set…" writes the join beside the labels.
 */
describe('the feature store in a real VS Code', () => {
  let wb: Workbench;
  let scratch: string;
  let workspace: string;
  const quickInput = () => wb.page.locator('.quick-input-widget');
  const quickRow = (label: string | RegExp) =>
    quickInput()
      .locator('.monaco-list-row')
      .filter({ has: wb.page.locator('.label-name', { hasText: label }) })
      .filter({ visible: true });
  const lens = (title: string) => wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: title });
  const palette = async (command: string) => {
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    await quickInput().locator('.quick-input-box input').fill(`>${command}`);
    await wb.waitFor(`"${command}" in the palette`, async () => (await quickRow(command).count()) > 0);
    await quickRow(command).first().click();
  };

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-e2e-features-'));
    workspace = path.join(scratch, 'churn');
    copyChurnSample(workspace);
    // New data for customer C00042, an hour old: inside the view's 1-day ttl, so the lookup finds it.
    const fresh = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    appendFileSync(path.join(workspace, 'data/customer_stats.csv'), `C00042,${fresh},123,77.25,1,0\n`);
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'features-store' });
    await wb.openFile('customer.features.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  let preview: Frame;
  it('previews the view from its code lens: 200 rows, statistics of all rows, a histogram per numeric field', async () => {
    await wb.waitFor('the Preview code lens', async () => (await lens('Preview').count()) > 0, 60_000);
    await lens('Preview').first().click();
    preview = await webviewFrame(wb, 'the preview of customer_features', 'section.rows table.rows', 60_000);
    assert.equal(await preview.locator('h1').innerText(), 'customer_features');
    assert.equal(await preview.locator('table.rows tbody tr').count(), 200);
    assert.deepEqual(await preview.locator('table.rows thead th').allInnerTexts(), [
      'customer_id',
      'event_timestamp',
      'total_purchases',
      'avg_order_value',
      'days_since_last_order',
      'num_returns',
    ]);
    assert.match(await preview.locator('section.statistics h2').innerText(), /Statistics of all 2,?501 rows/);
    const purchases = await preview.locator('table.stats tbody tr[data-column="total_purchases"] td').allInnerTexts();
    assert.deepEqual(purchases.slice(0, 5), ['total_purchases', 'feature', 'Int64', '2,501', '0']);
    assert.equal(purchases[7], '123');
    await wb.waitFor('four histograms with their bars painted', async () => {
      const drawn = await preview
        .locator('section.histograms figure.chart')
        .evaluateAll((figures) =>
          figures.map((f) => (f.querySelector('canvas')?.height ?? 0) > 0 && Number(f.getAttribute('data-bars-drawn')) > 0),
        );
      return drawn.length === 4 && drawn.every(Boolean);
    });
    assert.deepEqual(
      await preview.locator('section.histograms figure.chart').evaluateAll((f) => f.map((x) => x.getAttribute('data-field'))),
      ['total_purchases', 'avg_order_value', 'days_since_last_order', 'num_returns'],
    );
    await wb.screenshot('preview');
  });

  it('materializes the view from its code lens and says how many keys it wrote', async () => {
    await wb.openFile('customer.features.yaml');
    await wb.waitFor('the Materialize code lens', async () => (await lens('Materialize').count()) > 0, 30_000);
    await lens('Materialize').first().click();
    await wb.waitFor(
      'the materialisation message',
      async () => (await wb.notifications()).some((n) => /materialized customer_features: 2,501 rows .*2,500 entity keys written/.test(n)),
      60_000,
    );
  });

  it('shows the materialisation in the Feature Store view', async () => {
    await wb.runCommand('MLOps: Focus on Feature Store View');
    const rows = wb.page
      .locator('.pane', { has: wb.page.locator('.pane-header', { hasText: /^\s*Feature Store/i }) })
      .locator('.monaco-list-row');
    await wb.waitFor(
      'the customer_features row with its materialisation',
      async () =>
        (await rows.allInnerTexts()).some((t) => /customer_features/.test(t) && /4 fields/.test(t) && /materialized .*2,500 keys/.test(t)),
      30_000,
    );
    const texts = await rows.allInnerTexts();
    assert.ok(
      texts.some((t) => /customer/.test(t) && /join key customer_id/.test(t)),
      texts.join(' | '),
    );
    assert.ok(
      texts.some((t) => /churn_model_v1/.test(t) && /4 features from 1 view/.test(t)),
      texts.join(' | '),
    );
    await wb.screenshot('view');
  });

  it('gets online features: asks for the key, then shows each value with its status', async () => {
    await palette('MLOps: Get Online Features…');
    await wb.waitFor('the feature service in the picker', async () => (await quickRow('churn_model_v1').count()) > 0);
    await quickRow('churn_model_v1').first().click();
    const input = quickInput().locator('.quick-input-box input');
    await wb.waitFor('the entity key prompt', async () =>
      /customer_id/.test(
        (await quickInput()
          .innerText()
          .catch(() => '')) ?? '',
      ),
    );
    await input.fill('C00042');
    await input.press('Enter');
    await wb.waitFor(
      'the looked-up values',
      async () => {
        const row = quickRow('total_purchases');
        return (await row.count()) > 0 && /123/.test(await row.first().innerText()) && /PRESENT/.test(await row.first().innerText());
      },
      30_000,
    );
    assert.match(await quickRow('avg_order_value').first().innerText(), /77\.25[\s\S]*PRESENT/);
    await wb.screenshot('online');
    await wb.page.keyboard.press('Escape');
  });

  it('builds a training set beside the labels file it is given', async () => {
    await palette('MLOps: Build Training Set…');
    await wb.waitFor('the feature service in the picker', async () => (await quickRow('churn_model_v1').count()) > 0);
    await quickRow('churn_model_v1').first().click();
    await wb.waitFor('the labels file in the picker', async () => (await quickRow('data/labels.csv').count()) > 0);
    await quickRow('data/labels.csv').first().click();
    await wb.waitFor(
      'the training set message',
      async () => (await wb.notifications()).some((n) => /2,000 rows, 4 features written to data\/labels\.training\.csv/.test(n)),
      60_000,
    );
    const out = path.join(workspace, 'data/labels.training.csv');
    assert.ok(existsSync(out));
    const [header, first] = readFileSync(out, 'utf8').split('\n');
    assert.equal(header, 'customer_id,event_timestamp,plan,churned,total_purchases,avg_order_value,days_since_last_order,num_returns');
    assert.equal(first, 'C00001,2024-01-01T06:40:00Z,basic,0,7,48.69,0,0');
  });
});

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { openTrackingStore } from '../../client/src/core/tracking/store';
import { attachDialogWatch, collapseSideBarPanes, experimentsRows, pickRunsFromPalette, webviewFrame } from './chartFrames';
import { fixtureWorkspace, launchWorkbench, packagedVsix, type Workbench } from './harness';

/** A 2×1 PNG (one red, one blue pixel), as a training script's plot would be logged. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==', 'base64');
const START = 1_700_000_000_000;

/**
 * Two runs as most pipelines log them (one value per metric, a short loss curve), the newer with a
 * `feature_importance.png` and an MLflow model folder among its artifacts; written before the editor
 * opens the store.
 */
async function seed(workspace: string): Promise<void> {
  const store = await openTrackingStore({ workspaceDir: workspace, inProcess: true });
  try {
    const { experiment_id } = await store.api.createExperiment({ name: 'bars' });
    const runs = [
      { name: 'baseline', start: START, auc: 0.8123, f1: 0.7 },
      { name: 'tuned', start: START + 60_000, auc: 0.85714, f1: 0.75 },
    ];
    for (const spec of runs) {
      const { run } = await store.api.createRun({ experiment_id, run_name: spec.name, start_time: spec.start });
      await store.api.logBatch({
        run_id: run.info.run_id,
        metrics: [
          { key: 'auc', value: spec.auc, timestamp: spec.start + 5000, step: 0 },
          { key: 'f1', value: spec.f1, timestamp: spec.start + 5000, step: 0 },
          ...[0.9, 0.6, 0.45, 0.4, 0.38].map((value, step) => ({ key: 'loss', value, timestamp: spec.start + step * 1000, step })),
          // The older run logged more keys: with both runs the panel has eight, and a filter box.
          ...(spec.name === 'baseline'
            ? ['precision', 'recall', 'log_loss', 'brier', 'train_time'].map((key, i) => ({
                key,
                value: i + 0.5,
                timestamp: spec.start,
                step: 0,
              }))
            : []),
        ],
      });
      await store.api.updateRun({ run_id: run.info.run_id, status: 'FINISHED', end_time: spec.start + 30_000 });
      if (spec.name !== 'tuned') continue;
      const artifacts = fileURLToPath(run.info.artifact_uri);
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(path.join(artifacts, 'feature_importance.png'), PNG);
      cpSync(path.resolve(__dirname, '../fixtures/mlmodel/model'), path.join(artifacts, 'model'), { recursive: true });
    }
  } finally {
    await store.close();
  }
}

describe('single-value metrics as bars, the run picker default, and artifacts you can look at, in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;
  let dialogs: string[] = [];

  const { row, expand } = experimentsRows(() => wb);
  const showExperiments = async () => {
    await wb.runCommand('MLOps: Focus on Experiments View');
    await collapseSideBarPanes(wb, ['Pipelines', 'Model Registry', 'Monitors', 'Feature Store', 'Maturity']);
  };

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/e2e-tracking', 'mlops-e2e-bars-');
    await seed(workspace);
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'metrics-bars' });
    dialogs = attachDialogWatch(wb.page);
    await wb.openFile('register.pipeline.yaml');
    await wb.waitFor('the tracking store to open', async () => existsSync(path.join(workspace, '.mlops/server.json')), 60_000);
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('"Compare Runs" from the palette: the newest run is ticked, and Enter alone opens the panel on it', async () => {
    const page = wb.page;
    const quickInput = page.locator('.quick-input-widget');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await quickInput.locator('.quick-input-box input').fill('>MLOps: Compare Runs');
    const command = quickInput.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: 'MLOps: Compare Runs' }) });
    await wb.waitFor('"MLOps: Compare Runs" in the palette', async () => (await command.count()) > 0);
    await command.first().click();
    const runRow = (name: string) => quickInput.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: name }) });
    await wb.waitFor('both runs in the picker', async () => (await runRow('tuned').count()) > 0 && (await runRow('baseline').count()) > 0);
    const ticked = async (name: string) =>
      (await runRow(name).first().getAttribute('aria-checked')) === 'true' ||
      (await runRow(name).first().locator('.monaco-custom-toggle.checked, input[type=checkbox]:checked').count()) > 0;
    assert.equal(await ticked('tuned'), true, 'the newest run is ticked');
    assert.equal(await ticked('baseline'), false, 'the older run is not');
    // The first label of each row is the run's name (the detail line, the run id, is another).
    const names = await quickInput
      .locator('.monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('.label-name')?.textContent?.trim() ?? ''));
    assert.deepEqual(names, ['tuned', 'baseline'], 'newest first');
    // Nothing else: Enter at once.
    await page.keyboard.press('Enter');
    await wb.waitFor('the picker to close', async () => !(await quickInput.isVisible()), 10_000);
    const compare = await webviewFrame(wb, 'the compare panel', 'table.compare tbody tr');
    const rows = await compare.evaluate(() =>
      [...document.querySelectorAll('table.compare tbody tr td:first-child')].map((td) => td.textContent?.trim()),
    );
    assert.deepEqual(rows, ['tuned']);
    await wb.screenshot('compare-enter');
  });

  it('draws a metric with one value per run as bars labelled with their values, and a short curve with its points', async () => {
    await showExperiments();
    await expand('bars');
    await expand(/^tuned$/);
    await expand(/^Metrics$/);
    await wb.waitFor('the auc metric row', async () => (await row(/^auc$/).count()) > 0);
    await row(/^auc$/).first().click();

    let frame = await webviewFrame(wb, 'the metrics panel to draw', 'body[data-draw-ms]', 60_000);
    let page = await readCharts(frame);
    const auc = page.charts.find((c) => c.key === 'auc')!;
    assert.equal(auc.kind, 'bar');
    assert.deepEqual(auc.chart, { type: 'bar', labels: ['tuned'], values: [0.85714], valueLabels: ['0.8571'] });
    assert.deepEqual(
      auc.drawnLabels.map((l) => l.text),
      ['0.8571'],
      'the value is written on the canvas',
    );
    assert.ok(
      auc.drawnLabels.every((l) => l.x > 0 && l.x < auc.width && l.y > 0 && l.y < auc.height),
      JSON.stringify(auc),
    );
    const loss = page.charts.find((c) => c.key === 'loss')!;
    assert.equal(loss.kind, 'points');
    assert.deepEqual(loss.chart['points'], [5]);
    assert.ok((loss.chart['pointRadius'] as number[])[0]! > 0, 'the five points are drawn');
    assert.deepEqual(page.summary.head, ['Run', 'auc', 'f1', 'loss']);
    assert.deepEqual(page.summary.rows, [['tuned', '0.8571', '0.75', '0.38']]);
    assert.equal(page.images, 0);
    await wb.screenshot('metrics-bars-one-run');

    // Both runs: a bar each, each with its label.
    await pickRunsFromPalette(wb, 'MLOps: Show Metrics Charts', ['baseline', 'tuned']);
    await wb.waitFor('two bars in the auc chart', async () => {
      frame = await webviewFrame(wb, 'the metrics panel', '.chart-card[data-key="auc"] canvas[data-chart]');
      page = await readCharts(frame);
      return page.charts.find((c) => c.key === 'auc')?.chart['labels']?.length === 2;
    });
    const both = page.charts.find((c) => c.key === 'auc')!;
    const labelled = (both.chart['labels'] as string[]).map((name, i) => `${name}=${(both.chart['valueLabels'] as string[])[i]}`);
    assert.deepEqual(labelled.sort(), ['baseline=0.8123', 'tuned=0.8571']);
    assert.deepEqual(both.drawnLabels.map((l) => l.text).sort(), ['0.8123', '0.8571']);
    assert.equal(page.summary.rows.length, 2);
    assert.equal(page.summary.head.length, 9, 'a column per key');

    // Eight keys: the filter box keeps the charts and summary columns whose key holds every term.
    const filter = frame.locator('input.key-filter');
    await filter.fill('loss');
    await wb.waitFor('the filter to apply', async () => (await readCharts(frame)).summary.head.length === 3);
    page = await readCharts(frame);
    assert.deepEqual(page.summary.head, ['Run', 'log_loss', 'loss']);
    assert.deepEqual(page.visible, ['log_loss', 'loss']);
    await filter.fill('');
    await wb.waitFor('the filter to clear', async () => (await readCharts(frame)).visible.length === 8);
    assert.deepEqual(dialogs, []);
    await wb.screenshot('metrics-bars-two-runs');
  });

  it('opens a PNG artifact in the image preview, and an MLmodel file in the model panel', async () => {
    await showExperiments();
    await expand('bars');
    await expand(/^tuned$/);
    await expand(/^Artifacts$/);
    await wb.waitFor('the PNG artifact row', async () => (await row('feature_importance.png').count()) > 0);
    await row('feature_importance.png').first().click();

    const tab = wb.page.locator('.tabs-container .tab.active');
    await wb.waitFor('the image tab', async () =>
      ((await tab.getAttribute('aria-label').catch(() => null)) ?? '').includes('feature_importance.png'),
    );
    const image = await webviewFrame(wb, 'the image preview', 'img', 30_000);
    await wb.waitFor('the image to load', () => image.evaluate(() => (document.querySelector('img')?.naturalWidth ?? 0) > 0));
    const shown = await image.evaluate(() => {
      const img = document.querySelector('img')!;
      return { width: img.naturalWidth, height: img.naturalHeight, src: img.getAttribute('src') ?? '' };
    });
    assert.deepEqual([shown.width, shown.height], [2, 1]);
    assert.match(shown.src, /feature_importance\.png/);
    await wb.screenshot('png-artifact');

    // The model folder is marked, and its MLmodel file opens the model panel.
    await wb.waitFor('the model folder row', async () => (await row(/^model$/).count()) > 0);
    const description = await row(/^model$/)
      .first()
      .locator('.label-description')
      .innerText();
    assert.match(description, /MLflow model/);
    await expand(/^model$/);
    await wb.waitFor('the MLmodel row', async () => (await row(/^MLmodel$/).count()) > 0);
    await row(/^MLmodel$/)
      .first()
      .click();
    const model = await webviewFrame(wb, 'the model panel', '.flavor[data-flavor="sklearn"]');
    const read = await model.evaluate(() => ({
      flavors: [...document.querySelectorAll<HTMLElement>('.flavor')].map((f) => f.dataset['flavor']),
      inputs: [...document.querySelectorAll('.signature-part.inputs tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent),
      ),
      example: [...document.querySelectorAll('.example thead th')].map((th) => th.textContent),
      images: document.querySelectorAll('img').length,
    }));
    assert.deepEqual(read.flavors, ['python_function', 'sklearn']);
    assert.deepEqual(read.inputs, [
      ['tenure', 'double'],
      ['monthly_charges', 'double'],
      ['contract', 'string'],
    ]);
    assert.deepEqual(read.example, ['tenure', 'monthly_charges', 'contract']);
    assert.equal(read.images, 0);
    await wb.screenshot('model-panel');
  });
});

/** Each chart's kind and data as the page exposes them (never pixels), and the summary table. */
async function readCharts(frame: Frame) {
  return frame.evaluate(() => ({
    charts: [...document.querySelectorAll<HTMLElement>('.chart-card')].map((card) => {
      const canvas = card.querySelector('canvas')!;
      return {
        key: card.dataset['key'] ?? '',
        kind: card.dataset['kind'] ?? '',
        hidden: card.hidden,
        chart: JSON.parse(canvas.dataset['chart'] ?? '{}') as Record<string, unknown[] | string | undefined>,
        drawnLabels: JSON.parse(canvas.dataset['valueLabels'] ?? '[]') as { text: string; x: number; y: number }[],
        width: canvas.clientWidth,
        height: canvas.clientHeight,
      };
    }),
    summary: {
      head: [...document.querySelectorAll('.summary-table thead th')].map((th) => th.textContent?.trim() ?? ''),
      rows: [...document.querySelectorAll('.summary-table tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''),
      ),
    },
    visible: [...document.querySelectorAll<HTMLElement>('.chart-card')].filter((c) => !c.hidden).map((c) => c.dataset['key'] ?? ''),
    images: document.querySelectorAll('img').length,
  }));
}

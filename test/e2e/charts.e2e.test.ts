import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  attachDialogWatch,
  collapseSideBarPanes,
  experimentsRows,
  pickRunsFromPalette,
  readMetricsPage,
  seedRuns,
  webviewFrame,
} from './chartFrames';
import { fixtureWorkspace, launchWorkbench, packagedVsix, type Workbench } from './harness';

const EVIL = '<img src=x onerror=alert(1)>';

/**
 * The metrics and compare panels in a real VS Code, on a store seeded before the editor opens it:
 * a metric row of the sample run opens its charts (a canvas per metric, a line for the run), and a
 * run named like an HTML injection shows as text in both panels.
 */
describe('the metrics and compare panels in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;
  let dialogs: string[] = [];

  const { row, expand } = experimentsRows(() => wb);

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/e2e-tracking', 'mlops-e2e-charts-');
    await seedRuns(workspace, [
      { name: 'sample run', experiment: 'charts', params: { lr: '0.1', depth: '6' }, metrics: { loss: 300, accuracy: 300 } },
      { name: EVIL, experiment: 'charts', params: { lr: '0.01', depth: '6' }, metrics: { loss: 200 } },
    ]);
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'charts' });
    dialogs = attachDialogWatch(wb.page);
    await wb.openFile('register.pipeline.yaml');
    await wb.waitFor('the tracking store to open', async () => existsSync(path.join(workspace, '.mlops/server.json')), 60_000);
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('opens the charts of the sample run from its metric row: a canvas per metric with the run as dataset', async () => {
    await wb.runCommand('MLOps: Focus on Experiments View');
    // Six views share the side bar: fold the others so the Experiments rows are in the page (the list is virtual).
    await collapseSideBarPanes(wb, ['Pipelines', 'Model Registry', 'Monitors', 'Feature Store', 'Maturity']);
    await expand('charts');
    await expand(/^sample run$/);
    await expand(/^Metrics$/);
    await wb.waitFor('the loss metric row', async () => (await row(/^loss$/).count()) > 0);
    await row(/^loss$/)
      .first()
      .click();

    const frame = await webviewFrame(wb, 'the metrics panel to draw', 'body[data-draw-ms]', 60_000);
    const page = await readMetricsPage(frame);
    assert.deepEqual(
      page.charts.map((c) => c.key),
      ['accuracy', 'loss'],
    );
    for (const chart of page.charts) {
      assert.deepEqual(chart.datasets, ['sample run'], chart.key);
      assert.ok(chart.canvas, `${chart.key} has a drawn canvas`);
    }
    assert.equal(page.points, '600');
    assert.deepEqual(page.legend, ['sample run']);
    await wb.screenshot('metrics-panel');
  });

  it('shows a run named like an HTML tag as text in the compare and metrics panels', async () => {
    await pickRunsFromPalette(wb, 'MLOps: Compare Runs', ['sample run', EVIL]);
    const compare = await webviewFrame(wb, 'the compare panel', 'table.compare tbody tr:nth-child(2)');
    const table = await compare.evaluate(() => ({
      names: [...document.querySelectorAll('table.compare tbody tr td:first-child')].map((td) => td.textContent?.trim()),
      differs: [...document.querySelectorAll('table.compare th.differs')].map((th) => th.textContent?.trim()),
      images: document.querySelectorAll('img').length,
      scatter: JSON.parse((document.getElementById('scatter') as HTMLCanvasElement | null)?.dataset['datasets'] ?? '[]') as string[],
    }));
    assert.deepEqual([...table.names].sort(), [EVIL, 'sample run'].sort());
    assert.ok(table.differs.includes('params.lr'), table.differs.join(', '));
    assert.equal(table.images, 0, 'no <img> element in the compare page');
    assert.equal(table.scatter.length, 2);
    await wb.screenshot('compare-panel');

    // The compare page's button opens the metrics panel on both runs.
    await compare.locator('button', { hasText: 'Metrics charts' }).click();
    let frame = await webviewFrame(wb, 'the metrics panel with both runs', '.legend li:nth-child(2)');
    await wb.waitFor('the charts of both runs', async () => {
      frame = await webviewFrame(wb, 'the metrics panel', '.legend li:nth-child(2)');
      const page = await readMetricsPage(frame);
      return page.charts.find((c) => c.key === 'loss')?.datasets.length === 2;
    });
    const page = await readMetricsPage(frame);
    assert.deepEqual(
      page.charts
        .find((c) => c.key === 'loss')
        ?.datasets.slice()
        .sort(),
      [EVIL, 'sample run'].sort(),
    );
    assert.ok(page.legend.includes(EVIL), 'the name is shown literally');
    assert.equal(page.images, 0, 'no <img> element in the metrics page');
    assert.deepEqual(dialogs, [], 'no alert ran');
    await wb.screenshot('metrics-panel-two-runs');
  });
});

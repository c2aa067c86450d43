/**
 * Helpers for the chart panels in a real VS Code: seeding a workspace store before the editor
 * opens it, picking runs in a multi-select quick pick, and reading a webview page (webviews are
 * nested iframes; the page is the frame holding our `#root`).
 */
import type { Frame, Locator, Page } from 'playwright-core';
import { openTrackingStore } from '../../client/src/core/tracking/store';
import type { Workbench } from './harness';

export interface SeedRun {
  name: string;
  experiment: string;
  params?: Record<string, string>;
  /** Metric key -> number of points (step 0..n-1, one a second). */
  metrics: Record<string, number>;
  status?: 'RUNNING' | 'FINISHED';
}

/** Writes runs into `<workspace>/.mlops` with the store in process, and closes it (the editor opens it next). */
export async function seedRuns(workspace: string, runs: readonly SeedRun[]): Promise<Map<string, string>> {
  const store = await openTrackingStore({ workspaceDir: workspace, inProcess: true });
  const ids = new Map<string, string>();
  try {
    const experiments = new Map<string, string>();
    for (const spec of runs) {
      let experimentId = experiments.get(spec.experiment);
      if (!experimentId) {
        experimentId = (await store.api.createExperiment({ name: spec.experiment })).experiment_id;
        experiments.set(spec.experiment, experimentId);
      }
      const start = 1_700_000_000_000;
      const { run } = await store.api.createRun({ experiment_id: experimentId, run_name: spec.name, start_time: start });
      ids.set(spec.name, run.info.run_id);
      await store.api.logBatch({
        run_id: run.info.run_id,
        params: Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value })),
      });
      for (const [key, n] of Object.entries(spec.metrics)) {
        for (let s = 0; s < n; s += 1000) {
          const metrics = Array.from({ length: Math.min(1000, n - s) }, (_, i) => ({
            key,
            value: Math.exp(-(s + i) / (n / 3)) + 0.05 * Math.sin((s + i) / 7) + ids.size * 0.01,
            timestamp: start + (s + i) * 1000,
            step: s + i,
          }));
          await store.api.logBatch({ run_id: run.info.run_id, metrics });
        }
      }
      if (spec.status !== 'RUNNING')
        await store.api.updateRun({ run_id: run.info.run_id, status: 'FINISHED', end_time: start + 3_600_000 });
    }
  } finally {
    await store.close();
  }
  return ids;
}

/** Runs a command from the palette, then ticks the quick pick rows whose labels are given and accepts. */
export async function pickRunsFromPalette(wb: Workbench, command: string, labels: readonly string[]): Promise<void> {
  const page = wb.page;
  const quickInput = page.locator('.quick-input-widget');
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await quickInput.locator('.quick-input-box input').fill(`>${command}`);
  const commandRow = quickInput.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: command }) });
  await wb.waitFor(`"${command}" in the palette`, async () => (await commandRow.count()) > 0);
  await commandRow.first().click();
  // A click on the row toggles its checkbox in a multi-select quick pick.
  const checkedRow = async (row: Locator) =>
    (await row.getAttribute('aria-checked')) === 'true' ||
    (await row.locator('.quick-input-list-checkbox.checked, .monaco-custom-toggle.checked, input[type=checkbox]:checked').count()) > 0;
  for (const label of labels) {
    const row = quickInput.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) });
    await wb.waitFor(`the run "${label}" in the quick pick`, async () => (await row.count()) > 0);
    if (!(await checkedRow(row.first()))) await row.first().locator('.label-name').first().click();
    await wb.waitFor(`"${label}" ticked`, () => checkedRow(row.first()), 5000);
  }
  // The picker ticks the newest run by itself: untick every run not asked for.
  const rows = quickInput.locator('.monaco-list-row');
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const name = (await row.locator('.label-name').first().innerText()).trim();
    if (!labels.some((l) => name.includes(l)) && (await checkedRow(row))) await row.locator('.label-name').first().click();
  }
  await quickInput.locator('.quick-input-box input').press('Enter');
  await wb.waitFor('the quick pick to close', async () => !(await quickInput.isVisible()), 10_000);
}

/** The frame of a webview page whose document matches `selector` (the innermost iframe VS Code makes). */
export async function webviewFrame(wb: Workbench, description: string, selector: string, timeoutMs = 30_000): Promise<Frame> {
  let found: Frame | undefined;
  await wb.waitFor(
    description,
    async () => {
      for (const frame of wb.page.frames()) {
        if (frame === wb.page.mainFrame()) continue;
        if (
          await frame
            .locator(selector)
            .count()
            .catch(() => 0)
        ) {
          found = frame;
          return true;
        }
      }
      return false;
    },
    timeoutMs,
  );
  return found!;
}

/** What a metrics page drew: each chart's key and the labels of its run lines, the draw times, and any <img>. */
export async function readMetricsPage(frame: Frame) {
  return frame.evaluate(() => ({
    charts: [...document.querySelectorAll<HTMLElement>('.chart-card')].map((card) => ({
      key: card.dataset['key'] ?? '',
      datasets: JSON.parse(card.querySelector('canvas')?.dataset['datasets'] ?? '[]') as string[],
      canvas: (card.querySelector('canvas')?.width ?? 0) > 0,
    })),
    drawMs: document.body.dataset['drawMs'],
    loadMs: document.body.dataset['loadMs'],
    points: document.body.dataset['drawnPoints'],
    legend: [...document.querySelectorAll('.legend .name')].map((e) => e.textContent ?? ''),
    images: document.querySelectorAll('img').length,
    text: document.body.innerText,
  }));
}

export function attachDialogWatch(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

/**
 * Collapses the side bar views of these titles (a click on an expanded header), so the one left
 * open has the height to render its rows: a tree list is virtual, rows below the fold are not in the page.
 */
export async function collapseSideBarPanes(wb: Workbench, titles: readonly string[]): Promise<void> {
  for (const title of titles) {
    const header = wb.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }).first();
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  }
}

/**
 * The Experiments view's rows: `pane(title)` finds a side-bar view, `row(label)` an Experiments row by
 * its label, `expand(label)` waits for the row and opens it. `wb` is read when called (set in `before`).
 */
export function experimentsRows(workbench: () => Workbench) {
  const pane = (title: string): Locator => {
    const page = workbench().page;
    return page.locator('.pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }) });
  };
  const row = (label: string | RegExp): Locator =>
    pane('Experiments')
      .locator('.monaco-list-row')
      .filter({ has: workbench().page.locator('.label-name', { hasText: label }) });
  const expand = async (label: string | RegExp): Promise<void> => {
    await workbench().waitFor(`the row ${String(label)}`, async () => (await row(label).count()) > 0);
    const target = row(label).first();
    if ((await target.getAttribute('aria-expanded')) !== 'true') await target.click();
  };
  return { pane, row, expand };
}

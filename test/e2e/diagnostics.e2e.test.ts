import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { fixtureWorkspace, launchWorkbench, packagedVsix, type Workbench } from './harness';

describe('the extension in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/workspace', 'mlops-e2e-ws-');
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'diagnostics' });
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('shows our yaml-syntax diagnostic as a marker and in Problems, and our language mode', async () => {
    await wb.openFile('broken.pipeline.yaml');
    await wb.waitFor('the MLOps Pipeline language mode in the status bar', async () =>
      (await wb.statusBarTexts()).some((t) => t.includes('MLOps Pipeline')),
    );
    await wb.waitFor(
      'an error squiggle in the editor',
      async () => (await wb.page.locator('.monaco-editor .squiggly-error').count()) > 0,
      60_000,
    );
    let rows: string[] = [];
    await wb.waitFor('our diagnostic in the Problems panel', async () => {
      rows = await wb.problems();
      return rows.some((r) => r.includes('is not closed') && r.includes('yaml-syntax'));
    });
    const row = rows.find((r) => r.includes('is not closed'))!;
    assert.match(row, /mlops/, 'the Problems row names our source');
    assert.match(row, /line 7/, 'the message names the line of the unclosed bracket');
    await wb.screenshot('diagnostic');
  });

  it('highlights ${{ }} expressions on top of the YAML colours', async () => {
    await wb.openFile('highlight.pipeline.yaml');
    const line = wb.page.locator('.monaco-editor .view-line', { hasText: 'head -n' });
    await wb.waitFor('the run line to render', async () => (await line.count()) > 0);
    await wb.waitFor('the expression tokens to take their own colours', async () => {
      // Plain arrow callbacks only: tsx names const functions with a helper the page does not have.
      const tokens = await line
        .first()
        .locator('span > span')
        .evaluateAll((spans) => spans.map((span) => ({ text: (span.textContent ?? '').trim(), colour: getComputedStyle(span).color })));
      const colourOf = (text: string) => tokens.find((t) => t.text === text)?.colour;
      const colours = { root: colourOf('params'), property: colourOf('rows'), plain: colourOf('data.csv') ?? colourOf('head -n') };
      // `params` and `rows` are tokens of their own (the grammar split the plain scalar), and the
      // property takes a variable colour in any theme, unlike the plain text around it.
      return Boolean(colours.root && colours.property && colours.plain && colours.property !== colours.plain);
    });
  });

  it('lists the workspace pipelines in the MLOps side bar', async () => {
    await wb.page.locator('.activitybar [aria-label^="MLOps"]').first().click();
    await wb.waitFor('the Pipelines view to list the fixture pipelines', async () => {
      const rows = await wb.page.locator('.pane-body .monaco-list-row').allInnerTexts();
      return ['broken.pipeline.yaml', 'clean.pipeline.yaml', 'highlight.pipeline.yaml'].every((f) => rows.some((r) => r.includes(f)));
    });
    await wb.screenshot('sidebar');
  });

  it('draws the pipeline graph in a webview, and a click on a step reveals it in the editor', async () => {
    await wb.openFile('clean.pipeline.yaml');
    await wb.runCommand('MLOps: Show Pipeline Graph');
    const steps = ['preprocess', 'train', 'evaluate'];
    let graphFrame: Frame | undefined;
    await wb.waitFor(
      'the graph webview to draw three steps and three edges',
      async () => {
        for (const frame of wb.page.frames()) {
          const drawn = await frame
            .evaluate(() => ({
              nodes: [...document.querySelectorAll('svg g.node')].map((n) => n.getAttribute('data-step')),
              edges: document.querySelectorAll('svg path.edge').length,
              title: document.querySelector('h1')?.textContent,
            }))
            .catch(() => undefined);
          if (
            drawn &&
            drawn.nodes.length === 3 &&
            steps.every((s) => drawn.nodes.includes(s)) &&
            drawn.edges === 3 &&
            drawn.title === 'customer-churn'
          ) {
            graphFrame = frame;
            return true;
          }
        }
        return false;
      },
      45_000,
    );
    await wb.screenshot('graph');
    await graphFrame!.locator('g.node[data-step="evaluate"]').click();
    await wb.waitFor('the editor selection to move to the evaluate step (line 34)', async () =>
      (await wb.statusBarTexts()).some((t) => /Ln 34, Col \d+/.test(t)),
    );
  });
});

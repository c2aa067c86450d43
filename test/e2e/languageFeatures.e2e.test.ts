import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fixtureWorkspace, launchWorkbench, packagedVsix, type Workbench } from './harness';

describe('pipeline language features in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/e2e-language', 'mlops-e2e-lang-');
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'language' });
    await wb.openFile('language.pipeline.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the unknown-step diagnostic on the misspelt step, with its suggestion', async () => {
    let rows: string[] = [];
    await wb.waitFor(
      'the unknown-step diagnostic in the Problems panel',
      async () => {
        rows = await wb.problems();
        return rows.some((r) => r.includes('unknown-step'));
      },
      60_000,
    );
    const row = rows.find((r) => r.includes('unknown-step'))!;
    assert.match(row, /unknown step `trian`; did you mean `train`\?/);
    assert.match(row, /mlops/);
    await wb.screenshot('unknown-step');
  });

  it('shows the Run pipeline code lens on the pipeline line, and refuses to run the file with its error when clicked', async () => {
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run pipeline' });
    await wb.waitFor('the Run pipeline code lens', async () => (await lens.count()) > 0, 60_000);
    const steps = await wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run step' }).count();
    assert.equal(steps, 3, 'one Run step lens per step');
    await wb.screenshot('code-lens');
    await lens.first().click();
    await wb.waitFor('the cannot-run message naming the error', async () =>
      (await wb.notifications()).some((n) => n.includes('cannot run') && n.includes('unknown-step')),
    );
  });

  it('offers the other step ids when completing inside needs, without the step itself', async () => {
    // Line 8 is `    needs: []`; column 13 is between the brackets.
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    const rows = wb.page.locator('.editor-widget.suggest-widget .monaco-list-row');
    let labels: string[] = [];
    await wb.waitFor('the suggest widget to list the step ids', async () => {
      // Ask again on every poll: a request sent before the server had the document answers nothing.
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.press('Control+G');
      await wb.page.keyboard.type('8:13');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.press('Control+Space');
      await new Promise((r) => setTimeout(r, 500));
      labels = (await rows.allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
      return labels.includes('prepare') && labels.includes('evaluate');
    });
    assert.ok(!labels.includes('train'), `the step itself is not offered: ${labels.join(', ')}`);
    await wb.screenshot('needs-completion');
    await wb.page.keyboard.press('Escape');
  });
});

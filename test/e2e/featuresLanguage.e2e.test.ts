import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fixtureWorkspace, launchWorkbench, packagedVsix, type Workbench } from './harness';

describe('features and monitor files in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/e2e-features', 'mlops-e2e-features-');
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'features' });
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  /** Puts the cursor at a 1-based line and column of the active editor. */
  const goTo = async (line: number, column: number): Promise<void> => {
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+G');
    await wb.page.keyboard.type(`${line}:${column}`);
    await wb.page.keyboard.press('Enter');
  };

  it('shows the invalid dtype as a diagnostic in Problems, with its suggestion', async () => {
    await wb.openFile('views.features.yaml');
    await wb.waitFor('the MLOps Features language mode', async () => (await wb.statusBarTexts()).some((t) => t.includes('MLOps Features')));
    let rows: string[] = [];
    await wb.waitFor(
      'the invalid-dtype diagnostic in the Problems panel',
      async () => {
        rows = await wb.problems();
        return rows.some((r) => r.includes('invalid-dtype'));
      },
      60_000,
    );
    const row = rows.find((r) => r.includes('invalid-dtype'))!;
    assert.match(row, /`Int46` is not a dtype; did you mean `Int64`\?/);
    assert.match(row, /mlops/);
    await wb.screenshot('invalid-dtype');
  });

  it('hovers the entity inside a view with its join key, from the other file', async () => {
    await wb.openFile('views.features.yaml');
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    const hover = wb.page.locator('.monaco-hover:visible');
    let text = '';
    await wb.waitFor('the hover of `customer` to show its join key', async () => {
      // Line 3 is `    entities: [customer]`; column 18 is inside `customer`. Ask again on each poll.
      await goTo(3, 18);
      await wb.page.keyboard.press('Control+K');
      await wb.page.keyboard.press('Control+I');
      await new Promise((r) => setTimeout(r, 700));
      text = (await hover.allInnerTexts()).join('\n');
      return /join key/.test(text);
    });
    assert.match(text, /entity customer/);
    assert.match(text, /join key customer_id · type String/);
    assert.match(text, /defined in shop\.features\.yaml/);
    await wb.screenshot('entity-hover');
    await wb.page.keyboard.press('Escape');
  });

  it("offers the CSV columns when completing a monitor's columns", async () => {
    await wb.openFile('drift.monitor.yaml');
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    const rows = wb.page.locator('.editor-widget.suggest-widget .monaco-list-row');
    let labels: string[] = [];
    await wb.waitFor('the suggest widget to list the CSV columns', async () => {
      // Line 3 is `columns: [total_purchases, ]`; column 28 is before the `]`.
      await goTo(3, 28);
      await wb.page.keyboard.press('Control+Space');
      await new Promise((r) => setTimeout(r, 700));
      labels = (await rows.allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
      return labels.includes('loyalty_tier');
    });
    assert.ok(labels.includes('avg_order_value'), labels.join(', '));
    assert.ok(!labels.includes('total_purchases'), `a column already listed is not offered again: ${labels.join(', ')}`);
    await wb.screenshot('column-completion');
    await wb.page.keyboard.press('Escape');
  });
});

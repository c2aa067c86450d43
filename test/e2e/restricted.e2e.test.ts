import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixtureWorkspace, launchWorkbench, packagedVsix, type Workbench } from './harness';

describe('Restricted Mode (an untrusted folder)', () => {
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/workspace', 'mlops-e2e-untrusted-');
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'restricted', trusted: false });
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('still validates: reading features are on in limited support', async () => {
    await wb.waitFor(
      'the Restricted Mode indicator',
      async () => (await wb.statusBarTexts()).some((t) => /Restricted Mode/i.test(t)),
      60_000,
    );
    await wb.openFile('broken.pipeline.yaml');
    let rows: string[] = [];
    await wb.waitFor(
      'our diagnostic in the Problems panel',
      async () => {
        rows = await wb.problems();
        return rows.some((r) => r.includes('yaml-syntax'));
      },
      60_000,
    );
    assert.ok(rows.some((r) => r.includes('is not closed')));
    await wb.screenshot('restricted');
  });

  it('runs nothing: no tracking store and no endpoint', async () => {
    assert.equal(existsSync(path.join(workspace, '.mlops')), false, 'the tracking store never opened');
    const statusBar = await wb.statusBarTexts();
    assert.ok(!statusBar.some((t) => t.includes('Tracking')), statusBar.join(' | '));
  });
});

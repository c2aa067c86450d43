import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { copyChurnSample } from '../helpers/cli';
import { launchWorkbench, packagedVsix, type Workbench } from './harness';

/**
 * "Export to Kubeflow Pipelines" on samples/churn in a real VS Code: the packaged extension runs
 * its bundled CLI, writes churn.kfp.yaml beside the pipeline and opens it in the editor group
 * beside the pipeline's, as a PipelineSpec of schema 2.1.0.
 */
describe('exports in a real VS Code', () => {
  let wb: Workbench;
  let scratch: string;
  let workspace: string;

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-e2e-export-'));
    workspace = path.join(scratch, 'churn');
    copyChurnSample(workspace);
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'export' });
    await wb.openFile('churn.pipeline.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('exports the open pipeline to Kubeflow Pipelines and opens the IR beside it', async () => {
    await wb.runCommand('MLOps: Export to Kubeflow Pipelines');
    const exported = path.join(workspace, 'churn.kfp.yaml');
    const tab = (group: number, name: string) =>
      wb.page.locator(`.editor-group-container >> nth=${group}`).locator('.tab .label-name', { hasText: name });
    await wb.waitFor('churn.kfp.yaml open in a second editor group', async () => (await tab(1, 'churn.kfp.yaml').count()) > 0, 60_000);
    assert.equal(await tab(0, 'churn.pipeline.yaml').count(), 1, 'the pipeline stays in the first group');
    assert.ok(existsSync(exported));
    const spec = parse(readFileSync(exported, 'utf8')) as {
      schemaVersion: string;
      pipelineInfo: { name: string };
      root: { dag: { tasks: object } };
    };
    assert.equal(spec.schemaVersion, '2.1.0');
    assert.equal(spec.pipelineInfo.name, 'customer-churn');
    assert.deepEqual(Object.keys(spec.root.dag.tasks), ['training-set', 'preprocess', 'train', 'evaluate']);
    const shown = await wb.page.locator('.editor-group-container >> nth=1').locator('.view-lines').innerText();
    assert.match(shown, /schemaVersion:\s2\.1\.0/, 'the editor shows the schema version (Monaco renders spaces as no-break spaces)');
    // The IR has no place for the train step's timeout: the notification says so.
    await wb.waitFor('the note about the timeout', async () =>
      (await wb.notifications()).some((n) => /timeout 600s has no place in KFP's IR/.test(n)),
    );
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FeatureViewPreview } from '../../common/src/features/preview';
import { cliFailure, runCli } from '../../client/src/ui/cliProcess';
import { copyChurnSample, ROOT } from '../helpers/cli';

// The editor's feature commands run the bundled CLI as a child process (ui/features/cliProcess.ts):
// here with the real client/out/cli.js on samples/churn, and a stand-in CLI for progress and cancel.
describe("the editor's feature commands through the bundled CLI", () => {
  let scratch: string;
  let workspace: string;
  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-editor-cli-'));
    workspace = copyChurnSample(path.join(scratch, 'churn'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads the preview of a view as JSON: 200 rows of 2,500, statistics and histograms', async () => {
    const progress: string[] = [];
    const result = await runCli({
      extensionPath: ROOT,
      args: ['features', 'preview', 'customer_features', '--json', '--workspace', workspace],
      cwd: workspace,
      onProgress: (line) => progress.push(line),
    });
    assert.equal(result.code, 0, result.stderr);
    const preview = JSON.parse(result.stdout) as FeatureViewPreview;
    assert.equal(preview.totalRows, 2500);
    assert.equal(preview.rows.length, 200);
    assert.deepEqual(preview.rows[0], ['C00001', '2024-01-01T00:40:00Z', '7', '48.69', '0', '0']);
    const purchases = preview.columns.find((c) => c.name === 'total_purchases')!;
    assert.equal(
      purchases.histogram!.counts.reduce((a, b) => a + b, 0),
      2500,
    );
    assert.deepEqual(progress, ['mlops features: reading data/customer_stats.csv']);
  });

  it("turns a refusal into the CLI's own words, without the --help hint", async () => {
    const result = await runCli({ extensionPath: ROOT, args: ['features', 'preview', 'nope', '--workspace', workspace], cwd: workspace });
    assert.equal(result.code, 2);
    assert.equal(cliFailure(result), 'no feature view nope; the workspace has customer_features');
    const missing = await runCli({
      extensionPath: ROOT,
      args: ['features', 'historical', '--service', 'churn_model_v1', '--entities', 'absent.csv', '--workspace', workspace],
      cwd: workspace,
    });
    assert.equal(cliFailure(missing), 'absent.csv: no such file');
  });

  it('passes arguments without a shell and stops the child when cancelled', async () => {
    const fake = path.join(scratch, 'fake');
    mkdirSync(path.join(fake, 'client', 'out'), { recursive: true });
    writeFileSync(
      path.join(fake, 'client', 'out', 'cli.js'),
      "process.stdout.write(JSON.stringify(process.argv.slice(2)), () => process.stderr.write('mlops features: step 1\\n')); setTimeout(() => {}, 60000);\n",
    );
    const abort = new AbortController();
    const lines: string[] = [];
    const started = Date.now();
    const done = runCli({
      extensionPath: fake,
      args: ['a b', '$(touch pwned)', "'quoted'"],
      cwd: scratch,
      signal: abort.signal,
      onProgress: (line) => {
        lines.push(line);
        // stdout was written first; give its pipe a moment to be read before cancelling.
        setTimeout(() => abort.abort(), 300);
      },
    });
    const result = await done;
    assert.ok(Date.now() - started < 10_000);
    assert.deepEqual(JSON.parse(result.stdout), ['a b', '$(touch pwned)', "'quoted'"]);
    assert.deepEqual(lines, ['mlops features: step 1']);
    assert.notEqual(result.code, 0);
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mlops } from '../helpers/cli';
import { fixtureWorkspace, launchWorkbench, packagedVsix, type Workbench } from './harness';
import { isAlive as alive } from '../helpers/processes';

/**
 * The pipeline runner in a real VS Code: the "Run pipeline" code lens runs
 * test/fixtures/e2e-runner in a Pseudoterminal, the status bar follows it, a
 * notification says it finished, and the workspace store holds the run; Ctrl+C
 * in the terminal cancels a run.
 *
 * The terminal's text is read from the page: the fixture's .vscode/settings.json
 * turns GPU acceleration off, so xterm.js draws with its DOM renderer and every
 * visible row is a `.xterm-rows > div`; the panel is maximized so the whole run fits.
 */
describe('the pipeline runner in a real VS Code', () => {
  let wb: Workbench;
  let workspace: string;
  let runId: string;

  /** The visible rows of every terminal in the panel, one string per row. */
  const terminalRows = async (): Promise<string[]> =>
    wb.page
      .locator('.terminal-wrapper .xterm-rows > div')
      .allInnerTexts()
      .then((rows) => rows.map((r) => r.replace(/\u00a0/g, ' ').trimEnd()));

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/e2e-runner', 'mlops-e2e-runner-');
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'runner' });
    await wb.openFile('runner.pipeline.yaml');
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('runs the pipeline from the Run pipeline code lens in its own terminal, with progress in the status bar', async () => {
    await wb.waitFor('the tracking store to open', async () => existsSync(path.join(workspace, '.mlops/server.json')), 60_000);
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run pipeline' });
    await wb.waitFor('the Run pipeline code lens', async () => (await lens.count()) > 0, 60_000);
    await lens.first().click();

    // The prepare step sleeps 2 s, long enough to see the item while the run goes.
    await wb.waitFor(
      'the run in the status bar',
      async () => (await wb.statusBarTexts()).some((t) => /e2e-runner (starting|\d\/3 steps)/.test(t)),
      30_000,
    );
    await wb.waitFor('the run terminal', async () => (await wb.page.locator('body').innerText()).includes('MLOps: e2e-runner #'), 30_000);
    await wb.runCommand('View: Toggle Maximized Panel');

    let rows: string[] = [];
    await wb
      .waitFor(
        'the end of the run in the terminal',
        async () => {
          rows = await terminalRows();
          return rows.some((r) => /✔ Run \S+ finished in/.test(r));
        },
        90_000,
      )
      .catch((error: Error) => {
        throw new Error(`${error.message}\n--- terminal rows ---\n${rows.join('\n')}`);
      });
    const text = rows.join('\n');
    await wb.screenshot('run-terminal');
    for (const step of ['prepare', 'train', 'evaluate']) {
      assert.match(text, new RegExp(`▶ ${step} `), `header of ${step}:\n${text}`);
      assert.match(text, new RegExp(`✔ ${step} succeeded in`), `end of ${step}:\n${text}`);
      assert.match(text, new RegExp(`^${step} +SUCCEEDED +\\S+`, 'm'), `summary row of ${step}:\n${text}`);
    }
    assert.match(text, /prepared 5 rows/);
    assert.match(text, /trained on 5 rows/);
    assert.match(text, /step +status +duration +cached/);
    assert.match(text, /metrics: accuracy=0\.875 {2}loss=0\.25 {2}rows=5/);

    await wb.waitFor('the run-finished notification', async () =>
      (await wb.notifications()).some((n) => /MLOps: e2e-runner #\S+ finished in/.test(n)),
    );
    await wb.waitFor(
      'the status bar item to go',
      async () => !(await wb.statusBarTexts()).some((t) => /e2e-runner (starting|\d\/3 steps)/.test(t)),
    );
  });

  it("leaves the run, its steps and its metrics in the workspace store (read with the CLI through the editor's endpoint)", () => {
    const list = mlops(['runs', 'list', '--experiment', 'e2e_runner', '--json', '--workspace', workspace], workspace);
    assert.equal(list.code, 0, list.stderr);
    const runs = JSON.parse(list.stdout) as {
      info: { run_id: string; status: string };
      data: { metrics: { key: string; value: number }[]; tags: { key: string; value: string }[] };
    }[];
    assert.equal(runs.length, 1, list.stdout);
    const run = runs[0]!;
    runId = run.info.run_id;
    assert.equal(run.info.status, 'FINISHED');
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    assert.equal(metrics['accuracy'], 0.875);
    assert.equal(metrics['rows'], 5);
    assert.equal(metrics['loss'], 0.25, 'the live metric from MLOPS_METRICS_FILE');
    assert.ok(
      run.data.tags.some((t) => t.key === 'mlops.pipeline' && t.value === 'e2e-runner'),
      JSON.stringify(run.data.tags),
    );

    const show = mlops(['runs', 'show', runId, '--json', '--workspace', workspace], workspace);
    assert.equal(show.code, 0, show.stderr);
    const shown = JSON.parse(show.stdout) as { steps: { step_id: string; status: string; exit_code?: number }[] };
    assert.deepEqual(shown.steps.map((s) => [s.step_id, s.status, s.exit_code]).sort(), [
      ['evaluate', 'SUCCEEDED', 0],
      ['prepare', 'SUCCEEDED', 0],
      ['train', 'SUCCEEDED', 0],
    ]);
  });

  it('lists the pipeline under Run Task (task type mlops) and runs it there with the same terminal', async () => {
    const quickInput = wb.page.locator('.quick-input-widget');
    // A visible row whose label is exactly `label` (the list also holds hidden rows such as "All mlops tasks").
    const row = (label: string | RegExp) =>
      quickInput
        .locator('.monaco-list-row')
        .filter({
          has: wb.page.locator('.label-name', {
            hasText: typeof label === 'string' ? new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : label,
          }),
        })
        .filter({ visible: true });
    // From the editor: a quick pick opened while the finished run's terminal has focus closes again.
    await wb.runCommand('View: Toggle Maximized Panel');
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    // Not wb.runCommand: the palette stays open as the task picker, and runCommand waits for it to close.
    await wb.page.keyboard.press('F1');
    await quickInput.locator('.quick-input-box input').fill('>Tasks: Run Task');
    await wb.waitFor('Tasks: Run Task in the palette', async () => (await row('Tasks: Run Task').count()) > 0);
    await row('Tasks: Run Task').first().click();
    await wb.waitFor('the mlops task type in Run Task', async () => (await row('mlops').count()) > 0, 30_000);
    await row('mlops').first().click();
    // Listed as "mlops: run runner.pipeline.yaml", with the task's detail under it.
    const task = row(/^\s*(mlops: )?run runner\.pipeline\.yaml\s*$/);
    await wb.waitFor('the provided task of runner.pipeline.yaml', async () => (await task.count()) > 0, 30_000);
    await task.first().click();
    // VS Code may ask which problem matcher to use for a task that declares none.
    const noScan = row('Continue without scanning the task output');
    if (
      await noScan.waitFor({ state: 'visible', timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      await noScan.first().click();

    // The store says when the task's run ended; then its terminal must show that run's end.
    let runs: { info: { run_name: string; status: string } }[] = [];
    await wb.waitFor(
      "the task's run to finish in the store",
      async () => {
        const list = mlops(['runs', 'list', '--experiment', 'e2e_runner', '--json', '--workspace', workspace], workspace);
        runs = JSON.parse(list.stdout) as typeof runs;
        return runs.length === 2 && runs.every((r) => r.info.status !== 'RUNNING');
      },
      90_000,
    );
    assert.deepEqual(
      runs.map((r) => r.info.status),
      ['FINISHED', 'FINISHED'],
    );
    const newest = runs[0]!.info.run_name;
    let rows: string[] = [];
    await wb
      .waitFor(
        `the end of run ${newest} in the task's terminal`,
        async () => {
          rows = await terminalRows();
          return rows.some((r) => r.includes(`✔ Run ${newest} finished in`));
        },
        30_000,
      )
      .catch((error: Error) => {
        throw new Error(`${error.message}\n--- terminal rows ---\n${rows.join('\n')}`);
      });
    assert.ok(
      rows.some((r) => /^evaluate +SUCCEEDED/.test(r)),
      rows.join('\n'),
    );
    await wb.screenshot('task-run');
  });

  it("cancels a run with Ctrl+C in its terminal: the step's grandchild dies and the run ends KILLED", async () => {
    await wb.openFile('slow.pipeline.yaml');
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run pipeline' });
    await wb.waitFor('the Run pipeline code lens of slow.pipeline.yaml', async () => (await lens.count()) > 0, 60_000);
    await lens.first().click();
    const pidFile = path.join(workspace, 'sleeper.pid');
    await wb.waitFor(
      'the sleeping step to start',
      async () => existsSync(pidFile) && (await terminalRows()).some((r) => r.includes('waiting for the sleeper')),
      30_000,
    );
    const sleeper = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(alive(sleeper), 'the grandchild runs');

    await wb.page.locator('.terminal-wrapper.active .xterm').first().click();
    await wb.page.keyboard.press('Control+C');
    await wb.waitFor('the run-cancelled notification', async () =>
      (await wb.notifications()).some((n) => /MLOps: e2e-slow #\S+ was cancelled/.test(n)),
    );
    await wb.waitFor('the grandchild to be gone', async () => !alive(sleeper), 10_000);
    const rows = await terminalRows();
    assert.ok(
      rows.some((r) => r.includes('Cancelling the run (Ctrl+C in its terminal)')),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => /■ Run \S+ was cancelled/.test(r)),
      rows.join('\n'),
    );
    await wb.screenshot('cancelled');

    const list = mlops(['runs', 'list', '--experiment', 'e2e_runner', '--json', '--workspace', workspace], workspace);
    const runs = JSON.parse(list.stdout) as { info: { run_id: string; status: string } }[];
    assert.deepEqual(runs.map((r) => r.info.status).sort(), ['FINISHED', 'FINISHED', 'KILLED']);
    assert.ok(runs.some((r) => r.info.run_id === runId && r.info.status === 'FINISHED'));
  });
});

describe('the pipeline runner in Restricted Mode', () => {
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = fixtureWorkspace('test/fixtures/e2e-runner', 'mlops-e2e-runner-untrusted-');
    wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'runner-restricted', trusted: false });
  });

  after(async () => {
    await wb?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('runs nothing from the code lens and says the workspace is not trusted and how to trust it', async () => {
    await wb.waitFor(
      'the Restricted Mode indicator',
      async () => (await wb.statusBarTexts()).some((t) => /Restricted Mode/i.test(t)),
      60_000,
    );
    await wb.openFile('runner.pipeline.yaml');
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run pipeline' });
    await wb.waitFor('the Run pipeline code lens', async () => (await lens.count()) > 0, 60_000);
    await lens.first().click();
    let messages: string[] = [];
    await wb.waitFor('the not-trusted message', async () => {
      messages = await wb.notifications();
      return messages.some((n) => n.includes('Restricted Mode') && n.includes('not trusted'));
    });
    assert.ok(
      messages.some((n) => n.includes('Manage Workspace Trust')),
      messages.join('\n'),
    );
    await wb.screenshot('restricted-run');
    assert.equal(existsSync(path.join(workspace, '.mlops')), false, 'no store, no run');
    assert.equal(existsSync(path.join(workspace, 'data.txt')), false, 'no step ran');
    assert.equal(await wb.page.locator('.terminal-wrapper').count(), 0, 'no terminal');
  });
});

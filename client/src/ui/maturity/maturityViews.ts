import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import { Views } from '../../../../common/src/ids/viewTypes';
import type { ItemId } from '../../core/maturity/assess';
import { cliFailure, runCli } from '../cliProcess';
import type { DisposableTree } from '../disposables';
import { newMlopsFile } from '../newPipeline';
import { notify } from '../notify';
import type { TrackingSource } from '../trees/trackingSource';
import { findMonitorFiles, findPipelineFiles } from '../workspaceFiles';
import { MaturityTreeProvider, type MaturityNode } from './maturityTree';

export interface MaturityDeps {
  readonly context: vscode.ExtensionContext;
  readonly tracking: TrackingSource;
  readonly output: vscode.LogOutputChannel;
}

/** Context keys the walkthrough's steps complete by: `mlops.maturity.<item>` and `mlops.maturity.level`. */
export const contextKey = (id: ItemId | 'level') => `mlops.maturity.${id}`;

/** The Maturity view, its commands (refresh, next action, Set Up CI/CD, new features and monitor files), and the context keys. */
export function registerMaturity(tree: DisposableTree, deps: MaturityDeps): MaturityTreeProvider {
  const provider = tree.track(new MaturityTreeProvider(deps.tracking, deps.output));
  const view = tree.track(vscode.window.createTreeView(Views.maturity, { treeDataProvider: provider }));
  tree.track(
    provider.onDidAssess((a) => {
      view.badge = a.level > 0 ? { value: a.level, tooltip: `Maturity level ${a.level} of 4: ${a.levelName}` } : undefined;
      void vscode.commands.executeCommand('setContext', contextKey('level'), a.level);
      for (const item of a.items) void vscode.commands.executeCommand('setContext', contextKey(item.id), item.met);
    }),
  );
  tree.track(vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()));
  const register = (id: string, fn: (...args: never[]) => unknown) => tree.track(vscode.commands.registerCommand(id, fn));
  register(Commands.refreshMaturity, () => provider.refresh());
  register(Commands.maturityNextAction, async (node?: MaturityNode) => {
    const next = node?.kind === 'item' ? node.item.next : undefined;
    if (next) await vscode.commands.executeCommand(next.command);
  });
  register(Commands.newFeaturesFile, () => newMlopsFile('features'));
  register(Commands.newMonitorFile, () => newMlopsFile('monitor'));
  register(Commands.setUpCi, () => setUpCi(deps, provider));
  return provider;
}

/** "MLOps: Set Up CI/CD": `mlops ci init` for the provider and files picked (the obvious ones preselected), then the file opened. */
async function setUpCi(deps: MaturityDeps, provider: MaturityTreeProvider): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    await notify.blocked('setting up CI/CD reads and writes the workspace; it is off in Restricted Mode.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return;
  const gitlab = existsSync(path.join(folder.uri.fsPath, '.gitlab-ci.yml'));
  const providers = [
    { label: 'GitHub Actions', description: '.github/workflows/mlops.yml', provider: 'github' },
    { label: 'GitLab CI', description: '.gitlab-ci.yml', provider: 'gitlab' },
  ];
  if (gitlab) providers.reverse();
  const chosen = await vscode.window.showQuickPick(providers, {
    title: 'Set Up CI/CD (1/3): the CI system',
    placeHolder: 'Where the repository runs its CI',
  });
  if (!chosen) return;
  const pick = async (files: vscode.Uri[], title: string, optional: boolean) => {
    if (files.length === 0) return undefined;
    if (files.length === 1 && !optional) return files[0];
    const items = [
      ...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri: uri as vscode.Uri | undefined })),
      ...(optional ? [{ label: 'None', description: 'no scheduled drift check', uri: undefined }] : []),
    ];
    const picked = await vscode.window.showQuickPick(items, { title });
    return picked === undefined ? null : picked.uri;
  };
  const pipelines = await findPipelineFiles();
  if (pipelines.length === 0) {
    const create = await notify.info('CI runs a training pipeline, and this workspace has none yet.', { actions: ['New Pipeline File'] });
    if (create) await newMlopsFile('pipeline');
    return;
  }
  const pipeline = await pick(pipelines, 'Set Up CI/CD (2/3): the pipeline to train on the main branch', false);
  if (pipeline === null || pipeline === undefined) return;
  const monitor = await pick(await findMonitorFiles(), 'Set Up CI/CD (3/3): the monitor to check on its schedule', true);
  if (monitor === null) return;
  const result = await notify.progress('Writing the CI workflow', 'window', () =>
    runCli({
      extensionPath: deps.context.extensionPath,
      args: [
        'ci',
        'init',
        '--provider',
        chosen.provider,
        '--workspace',
        folder.uri.fsPath,
        '--pipeline',
        pipeline.fsPath,
        ...(monitor ? ['--monitor', monitor.fsPath] : []),
      ],
      cwd: folder.uri.fsPath,
    }),
  );
  if (result.code !== 0) {
    deps.output.error(`mlops ci init failed (exit ${result.code}):\n${result.stderr.trim()}`);
    void notify.error(`could not set up CI/CD: ${cliFailure(result)}`);
    return;
  }
  deps.output.info(result.stdout.trim());
  const written = /^(?:Wrote|Updated) (.+?) \((?:github|gitlab)\):/m.exec(result.stdout)?.[1];
  if (written) await vscode.window.showTextDocument(vscode.Uri.file(path.resolve(folder.uri.fsPath, written)));
  provider.refreshSoon();
  void notify.info(
    'the workflow validates pull requests, trains on the main branch and checks drift on schedule. Set the secrets MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN in the CI.',
  );
}

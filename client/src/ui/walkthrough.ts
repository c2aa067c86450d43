import { cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../../common/src/ids/commands';
import type { DisposableTree } from './disposables';
import { notify } from './notify';
import { EXCLUDE_GLOB } from './workspaceFiles';

// The Getting Started walkthrough (package.json `contributes.walkthroughs`, docs/maturity.md): its
// steps complete by the Maturity view's context keys; this file opens it once, and copies the churn
// sample for those who want to climb on it first.

const OPENED = 'mlops.walkthrough.opened';
const MLOPS_FILES = '**/*.{pipeline,features,monitor}.{yaml,yml}';

export function registerWalkthrough(tree: DisposableTree, context: vscode.ExtensionContext): void {
  const register = (id: string, fn: (...args: never[]) => unknown) => tree.track(vscode.commands.registerCommand(id, fn));
  register(Commands.openSample, () => openSample(context));
  register(Commands.openWalkthrough, () => openWalkthrough(context));
  void openOnce(context);
}

/** On the first activation in a workspace without MLOps files, and never again after (on any workspace). */
async function openOnce(context: vscode.ExtensionContext): Promise<void> {
  if (context.globalState.get<boolean>(OPENED)) return;
  if (!vscode.workspace.workspaceFolders?.length) return;
  const found = await vscode.workspace.findFiles(MLOPS_FILES, EXCLUDE_GLOB, 1);
  if (found.length > 0) return;
  await context.globalState.update(OPENED, true);
  await openWalkthrough(context);
}

/** "MLOps: Get Started": the walkthrough, in the editor area. */
async function openWalkthrough(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#gettingStarted`, false);
}

/** "Open the Churn Sample": copies the bundled samples/churn into a folder the user picks, and opens it. */
async function openSample(context: vscode.ExtensionContext): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    title: 'Copy the churn sample into…',
    openLabel: 'Copy Here',
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, '..') } : {}),
  });
  if (!picked?.[0]) return;
  let target = path.join(picked[0].fsPath, 'churn-sample');
  for (let n = 2; existsSync(target); n++) target = path.join(picked[0].fsPath, `churn-sample-${n}`);
  const source = context.asAbsolutePath(path.join('samples', 'churn'));
  try {
    await cp(source, target, { recursive: true, filter: (src) => !/[\\/](\.mlops|models|reports)$/.test(src) });
  } catch (error) {
    void notify.error(`could not copy the sample into ${target}: ${(error as Error).message}`);
    return;
  }
  await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(target), {
    forceNewWindow: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
  });
}

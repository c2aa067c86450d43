import * as vscode from 'vscode';
import { pipelineNameProblem } from '../../../common/src/pipeline/names';
import { pipelineTemplate } from '../core/pipelineTemplate';
import { notify } from './notify';

/** Asks for a name and a folder, writes a starter pipeline file and opens it. Never overwrites. */
export async function newPipelineFile(): Promise<void> {
  const folder = await pickFolder();
  if (!folder) return;
  const name = await vscode.window.showInputBox({
    title: 'New Pipeline File',
    prompt: 'Pipeline name',
    placeHolder: 'customer-churn',
    validateInput: (value) => pipelineNameProblem(value.trim()),
  });
  if (name === undefined) return;
  const trimmed = name.trim();
  const target = vscode.Uri.joinPath(folder.uri, `${trimmed}.pipeline.yaml`);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (exists) {
    void notify.warn(`${vscode.workspace.asRelativePath(target)} already exists; it was left as it is.`, { plain: true });
    await vscode.window.showTextDocument(target);
    return;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(pipelineTemplate(trimmed)));
  await vscode.window.showTextDocument(target);
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void notify.info('Open a folder first: pipeline files live in a workspace folder.', { plain: true });
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the new pipeline file' });
}

import * as vscode from 'vscode';
import { pipelineNameProblem } from '../../../common/src/pipeline/names';
import { featuresTemplate, monitorTemplate, pipelineTemplate } from '../core/pipelineTemplate';
import { notify } from './notify';
import { findPipelineFiles } from './workspaceFiles';

type Kind = 'pipeline' | 'features' | 'monitor';

const TITLES: Record<Kind, string> = { pipeline: 'New Pipeline File', features: 'New Features File', monitor: 'New Monitor File' };
const PLACEHOLDERS: Record<Kind, string> = { pipeline: 'customer-churn', features: 'customer', monitor: 'churn-monitor' };

/** Asks for a name and a folder, writes a starter pipeline file and opens it. Never overwrites. */
export const newPipelineFile = (): Promise<void> => newMlopsFile('pipeline');

/**
 * "New Pipeline / Features / Monitor File": a name and a folder, then a starter file that validates,
 * opened. A monitor's starter retrains with the workspace's pipeline when there is one. Never overwrites.
 */
export async function newMlopsFile(kind: Kind): Promise<void> {
  const folder = await pickFolder(kind);
  if (!folder) return;
  const name = await vscode.window.showInputBox({
    title: TITLES[kind],
    prompt: `${kind === 'pipeline' ? 'Pipeline' : kind === 'features' ? 'Feature repository' : 'Monitor'} name`,
    placeHolder: PLACEHOLDERS[kind],
    validateInput: (value) => pipelineNameProblem(value.trim()),
  });
  if (name === undefined) return;
  const trimmed = name.trim();
  const target = vscode.Uri.joinPath(folder.uri, `${trimmed}.${kind}.yaml`);
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (exists) {
    void notify.warn(`${vscode.workspace.asRelativePath(target)} already exists; it was left as it is.`, { plain: true });
    await vscode.window.showTextDocument(target);
    return;
  }
  let text: string;
  if (kind === 'pipeline') text = pipelineTemplate(trimmed);
  else if (kind === 'features') text = featuresTemplate(trimmed);
  else {
    const pipeline = (await findPipelineFiles()).find((uri) => vscode.workspace.getWorkspaceFolder(uri) === folder);
    const relative = pipeline ? vscode.workspace.asRelativePath(pipeline, false) : undefined;
    text = monitorTemplate(trimmed, relative);
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target);
}

async function pickFolder(kind: Kind): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void notify.info(`Open a folder first: ${kind} files live in a workspace folder.`, { plain: true });
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: `Folder for the new ${kind} file` });
}

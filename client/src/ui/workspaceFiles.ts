import * as vscode from 'vscode';
import { IGNORED_FOLDERS } from '../../../common/src';
import { notify } from './notify';

export const PIPELINE_GLOB = '**/*.pipeline.{yaml,yml}';
export const MONITOR_GLOB = '**/*.monitor.{yaml,yml}';
/** The folders that are never indexed (node_modules, .git, .mlops, ...), as an exclude glob for findFiles. */
export const EXCLUDE_GLOB = `**/{${[...IGNORED_FOLDERS].join(',')}}/**`;

/** The workspace's files matching `glob`, outside the folders that are never indexed, sorted by relative path. */
async function findWorkspaceFiles(glob: string): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(glob, EXCLUDE_GLOB);
  return uris.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
}

export const findPipelineFiles = (): Promise<vscode.Uri[]> => findWorkspaceFiles(PIPELINE_GLOB);
export const findMonitorFiles = (): Promise<vscode.Uri[]> => findWorkspaceFiles(MONITOR_GLOB);

/** Which kind of file a command wants, and what to say when the workspace has none. */
export interface TargetKind {
  readonly languageId: string;
  readonly find: () => Promise<vscode.Uri[]>;
  /** What to say when the workspace has none (`plain`: without the `MLOps: ` prefix). */
  readonly none: { readonly message: string; readonly plain?: boolean };
  readonly placeHolder: string;
}

/**
 * The file a command is about: its argument (a URI, or the URI string a code
 * lens from the language server passes), else the active editor's file of
 * that kind, else the only one in the workspace, else one the user picks.
 */
export async function targetFile(target: vscode.Uri | string | undefined, kind: TargetKind): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri) return target;
  if (typeof target === 'string') return vscode.Uri.parse(target, true);
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.languageId === kind.languageId) return active.uri;
  const files = await kind.find();
  if (files.length === 0) {
    void notify.info(kind.none.message, { plain: kind.none.plain ?? false });
    return undefined;
  }
  if (files.length === 1) return files[0];
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: kind.placeHolder },
  );
  return picked?.uri;
}

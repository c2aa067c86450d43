import * as vscode from 'vscode';
import { Commands } from './commandIds';
import { findPipelineFiles, PIPELINE_GLOB } from './workspaceFiles';

/** Plain data behind one row; the TreeItem is made in getTreeItem. */
interface PipelineFile {
  readonly uri: vscode.Uri;
}


/**
 * The workspace's pipeline files. Runs appear under them once the runner
 * tracks runs; meanwhile a click opens the file.
 */
export class PipelinesTreeProvider implements vscode.TreeDataProvider<PipelineFile>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PipelineFile | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor() {
    this.watcher = vscode.workspace.createFileSystemWatcher(PIPELINE_GLOB, false, true, false);
    this.watcher.onDidCreate(() => this.refresh());
    this.watcher.onDidDelete(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(element?: PipelineFile): Promise<PipelineFile[]> {
    if (element) return [];
    return (await findPipelineFiles()).map((uri) => ({ uri }));
  }

  getTreeItem(element: PipelineFile): vscode.TreeItem {
    const item = new vscode.TreeItem(element.uri, vscode.TreeItemCollapsibleState.None);
    item.description = folderDescription(element.uri);
    item.tooltip = vscode.workspace.asRelativePath(element.uri, true);
    item.contextValue = 'pipelineFile';
    item.command = { command: Commands.openPipeline, title: 'Open Pipeline', arguments: [element.uri] };
    return item;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/** The file's folder relative to its workspace folder, prefixed by that folder's name in a multi-root workspace. */
function folderDescription(uri: vscode.Uri): string {
  const relative = vscode.workspace.asRelativePath(uri, false);
  const folder = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const root = multiRoot ? vscode.workspace.getWorkspaceFolder(uri)?.name : undefined;
  return [root, folder].filter(Boolean).join(' · ');
}

import * as vscode from 'vscode';
import { Commands } from '../../../common/src/ids/commands';
import { lastRunsOf } from '../core/views/pipelineRuns';
import { formatDuration, relativeTime, type RunRow } from '../core/views/runRows';
import { formatMetric } from '../core/runner';
import { safeChildren } from './treeChildren';
import type { TrackingSource } from './trees/trackingSource';
import { findPipelineFiles, PIPELINE_GLOB } from './workspaceFiles';

/** Plain data behind one row; the TreeItem is made in getTreeItem. */
type PipelineFile =
  { readonly kind: 'file'; readonly uri: vscode.Uri } | { readonly kind: 'run'; readonly file: vscode.Uri; readonly row: RunRow };

const RUN_ICONS: Record<string, vscode.ThemeIcon> = {
  RUNNING: new vscode.ThemeIcon('sync~spin'),
  FINISHED: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  FAILED: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  KILLED: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped')),
};

/**
 * The workspace's pipeline files, each with its last runs (newest first) and
 * an inline Run button; a click opens the file, or shows the run in the
 * Experiments view.
 */
export class PipelinesTreeProvider implements vscode.TreeDataProvider<PipelineFile>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PipelineFile | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;

  private readonly subscription: vscode.Disposable | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly source?: TrackingSource,
  ) {
    this.watcher = vscode.workspace.createFileSystemWatcher(PIPELINE_GLOB, false, true, false);
    this.watcher.onDidCreate(() => this.refresh());
    this.watcher.onDidDelete(() => this.refresh());
    // Runs starting, ending and being renamed change the rows under the files; coalesce bursts.
    this.subscription = source?.onDidChange((batch) => {
      if (!batch.some((c) => c.kind === 'run' || c.kind === 'tag')) return;
      this.refreshTimer ??= setTimeout(() => {
        this.refreshTimer = undefined;
        this.refresh();
      }, 300);
    });
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(element?: PipelineFile): Promise<PipelineFile[]> {
    return safeChildren(
      'Pipelines view',
      this.log,
      () => this.children(element),
      () => [],
    );
  }

  private async children(element?: PipelineFile): Promise<PipelineFile[]> {
    if (!element) return (await findPipelineFiles()).map((uri) => ({ kind: 'file', uri }));
    if (element.kind !== 'file') return [];
    const api = await this.source?.api();
    const folder = vscode.workspace.getWorkspaceFolder(element.uri);
    if (!api || !folder) return [];
    const relative = vscode.workspace.asRelativePath(element.uri, false);
    return (await lastRunsOf(api, relative)).map((row) => ({ kind: 'run', file: element.uri, row }));
  }

  getTreeItem(element: PipelineFile): vscode.TreeItem {
    if (element.kind === 'run') {
      const row = element.row;
      const item = new vscode.TreeItem(row.name, vscode.TreeItemCollapsibleState.None);
      item.id = `${element.file.toString()}#${row.runId}`;
      const now = Date.now();
      item.description = [
        formatDuration(row, now),
        row.startTime !== undefined ? relativeTime(row.startTime, now) : undefined,
        row.keyMetric ? `${row.keyMetric.key} ${formatMetric(row.keyMetric.value)}` : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = RUN_ICONS[row.status] ?? new vscode.ThemeIcon('circle-outline');
      item.tooltip = `${row.name} — ${row.status}\nrun id ${row.runId}`;
      item.contextValue = 'pipelineRun';
      item.command = { command: Commands.showRun, title: 'Show Run', arguments: [row.runId] };
      return item;
    }
    const item = new vscode.TreeItem(
      element.uri,
      this.source ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = element.uri.toString();
    item.description = folderDescription(element.uri);
    item.tooltip = vscode.workspace.asRelativePath(element.uri, true);
    item.contextValue = 'pipelineFile';
    item.command = { command: Commands.openPipeline, title: 'Open Pipeline', arguments: [element.uri] };
    return item;
  }

  dispose(): void {
    this.subscription?.dispose();
    clearTimeout(this.refreshTimer);
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

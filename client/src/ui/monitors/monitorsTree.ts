import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import type { MonitorHistoryEntry } from '../../../../common/src/monitor/result';
import { monitorHistory, summarizeResult } from '../../core/monitor';
import { relativeTime } from '../../core/views/runRows';
import type { TrackingSource } from '../trees/trackingSource';
import { safeChildren } from '../treeChildren';
import { WatchingTree } from '../watchingTree';
import { findMonitorFiles, MONITOR_GLOB } from '../workspaceFiles';
import { monitorInfo, type MonitorFileInfo } from './monitorFiles';

const HISTORY_SHOWN = 20;

/** Plain data behind one row; the TreeItem is made in getTreeItem. */
export type MonitorNode =
  | { readonly kind: 'monitor'; readonly info: MonitorFileInfo; readonly last: MonitorHistoryEntry | undefined; readonly checking: boolean }
  | { readonly kind: 'check'; readonly info: MonitorFileInfo; readonly entry: MonitorHistoryEntry; readonly index: number }
  | { readonly kind: 'note'; readonly text: string };

const STATUS_ICONS: Record<string, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  drift: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
};
const STATUS_WORDS: Record<string, string> = { ok: 'no drift', drift: 'drift', error: 'not checked' };

/**
 * The workspace's monitor files, each with its last status and when it was
 * checked, and its history of checks (newest first) as children. Refreshes
 * when the store records a check (StoreChange `monitor`) and when monitor
 * files come and go.
 */
export class MonitorsTreeProvider extends WatchingTree<MonitorNode> implements vscode.TreeDataProvider<MonitorNode> {
  private readonly checking = new Set<string>();

  constructor(
    private readonly source: TrackingSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super(MONITOR_GLOB, source, 'monitor');
  }

  /** Shows the spinning icon on a monitor while it is checked. */
  setChecking(uri: vscode.Uri, on: boolean): void {
    if (on) this.checking.add(uri.toString());
    else this.checking.delete(uri.toString());
    this.refreshSoon();
  }

  getChildren(element?: MonitorNode): Promise<MonitorNode[]> {
    return safeChildren(
      'Monitors view',
      this.log,
      () => this.children(element),
      (message) => (element ? [{ kind: 'note', text: `Could not read the checks: ${message}` }] : []),
    );
  }

  private async children(element?: MonitorNode): Promise<MonitorNode[]> {
    const api = vscode.workspace.isTrusted ? await this.source.api() : undefined;
    if (!element) {
      const infos = await Promise.all((await findMonitorFiles()).map(monitorInfo));
      return Promise.all(
        infos.map(async (info): Promise<MonitorNode> => {
          const last = api ? (await monitorHistory(api, info.name, 1).catch(() => []))[0] : undefined;
          return { kind: 'monitor', info, last, checking: this.checking.has(info.uri.toString()) };
        }),
      );
    }
    if (element.kind !== 'monitor') return [];
    if (!vscode.workspace.isTrusted) return [{ kind: 'note', text: 'Checks are off in Restricted Mode' }];
    if (!api) return [{ kind: 'note', text: 'The tracking store is not open' }];
    const history = await monitorHistory(api, element.info.name, HISTORY_SHOWN).catch(() => []);
    if (history.length === 0) return [{ kind: 'note', text: 'Not checked yet' }];
    return history.map((entry, index) => ({ kind: 'check', info: element.info, entry, index }));
  }

  getTreeItem(node: MonitorNode): vscode.TreeItem {
    const now = Date.now();
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.contextValue = 'monitorNote';
      return item;
    }
    if (node.kind === 'check') {
      const { entry } = node;
      const item = new vscode.TreeItem(new Date(entry.time).toLocaleString(), vscode.TreeItemCollapsibleState.None);
      item.id = `${node.info.uri.toString()}#${entry.time}#${node.index}`;
      item.description = [STATUS_WORDS[entry.status] ?? entry.status, entry.result ? summarizeResult(entry.result) : undefined]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = STATUS_ICONS[entry.status] ?? new vscode.ThemeIcon('circle-outline');
      item.tooltip = `${node.info.name}: ${item.description}\n${relativeTime(entry.time, now)}`;
      item.contextValue = 'monitorCheck';
      item.command = { command: Commands.showDriftReport, title: 'Show Drift Report', arguments: [node.info.uri, entry.time] };
      return item;
    }
    const item = new vscode.TreeItem(node.info.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.info.uri.toString();
    const last = node.last;
    item.description = [
      node.checking ? 'checking…' : last ? (STATUS_WORDS[last.status] ?? last.status) : 'not checked',
      last ? relativeTime(last.time, now) : undefined,
      vscode.workspace.asRelativePath(node.info.uri, false),
    ]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = node.checking
      ? new vscode.ThemeIcon('sync~spin')
      : last
        ? (STATUS_ICONS[last.status] ?? new vscode.ThemeIcon('circle-outline'))
        : new vscode.ThemeIcon('circle-outline');
    item.tooltip = `${vscode.workspace.asRelativePath(node.info.uri, true)}${last?.result ? `\nLast check: ${summarizeResult(last.result)}` : ''}`;
    item.contextValue = last ? 'monitorFile.checked' : 'monitorFile';
    item.command = { command: Commands.openMonitor, title: 'Open Monitor', arguments: [node.info.uri] };
    return item;
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadMonitor } from '../../core/monitor';
import { findMonitorFiles, MONITOR_GLOB } from '../workspaceFiles';

const CHANGE_DELAY_MS = 1500;
/** Timers longer than this overflow setTimeout's 32-bit delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** No schedule shorter than this, whatever the file says (a `1s` typo should not loop the checks). */
const MIN_SCHEDULE_MS = 60_000;

type Check = (uri: vscode.Uri, trigger: 'schedule' | 'fileChange') => unknown;

/**
 * Re-checks each monitor while the editor is open: every `schedule`, and when
 * a file its `current` names or matches changes. Only in a trusted workspace;
 * rebuilt when monitor files change and when trust is granted.
 */
export class MonitorSchedule implements vscode.Disposable {
  private readonly perMonitor = new Map<string, vscode.Disposable[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private rebuildTimer: NodeJS.Timeout | undefined;

  constructor(private readonly check: Check) {
    const watcher = vscode.workspace.createFileSystemWatcher(MONITOR_GLOB);
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => void this.watch(uri)),
      watcher.onDidChange((uri) => void this.watch(uri)),
      watcher.onDidDelete((uri) => this.unwatch(uri)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.rebuildSoon()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rebuildSoon()),
    );
    this.rebuildSoon();
  }

  private rebuildSoon(): void {
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => void this.rebuild(), 500);
  }

  private async rebuild(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    for (const uri of await findMonitorFiles()) await this.watch(uri);
  }

  private unwatch(uri: vscode.Uri): void {
    for (const d of this.perMonitor.get(uri.toString()) ?? []) d.dispose();
    this.perMonitor.delete(uri.toString());
  }

  /** (Re)reads the monitor and sets its timer and data watchers; a file with errors gets none. */
  private async watch(uri: vscode.Uri): Promise<void> {
    this.unwatch(uri);
    if (!vscode.workspace.isTrusted || uri.scheme !== 'file') return;
    let config: Awaited<ReturnType<typeof loadMonitor>>;
    try {
      config = await loadMonitor(uri.fsPath);
    } catch {
      return;
    }
    const parts: vscode.Disposable[] = [];
    if (config.scheduleMs) {
      const every = Math.min(Math.max(config.scheduleMs, MIN_SCHEDULE_MS), MAX_TIMER_MS);
      const timer = setInterval(() => void this.check(uri, 'schedule'), every);
      parts.push({ dispose: () => clearInterval(timer) });
    }
    let pending: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(pending);
      pending = setTimeout(() => void this.check(uri, 'fileChange'), CHANGE_DELAY_MS);
    };
    parts.push({ dispose: () => clearTimeout(pending) });
    for (const entry of config.current) {
      const absolute = path.resolve(config.dir, entry);
      const relative = path.relative(config.dir, absolute);
      // Inside the monitor's folder: a pattern relative to it; outside: the folder of the file itself.
      const pattern =
        relative.startsWith('..') || path.isAbsolute(relative)
          ? new vscode.RelativePattern(vscode.Uri.file(path.dirname(absolute)), path.basename(absolute))
          : new vscode.RelativePattern(vscode.Uri.file(config.dir), relative.split(path.sep).join('/'));
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      parts.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
    }
    this.unwatch(uri); // a later call may have finished first
    this.perMonitor.set(uri.toString(), parts);
  }

  dispose(): void {
    clearTimeout(this.rebuildTimer);
    for (const uri of [...this.perMonitor.keys()]) this.unwatch(vscode.Uri.parse(uri));
    for (const s of this.subscriptions) s.dispose();
  }
}

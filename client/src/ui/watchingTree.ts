import * as vscode from 'vscode';
import type { StoreChange } from '../core/tracking/repository';

/**
 * What the Monitors and Feature Store views share: they list the workspace's
 * files of one glob and refresh, debounced, when such a file comes, goes or
 * changes, and when the store reports a change of one kind.
 */
export abstract class WatchingTree<T> implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  protected readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(glob: string, store: { readonly onDidChange: vscode.Event<readonly StoreChange[]> }, kind: StoreChange['kind']) {
    const watcher = vscode.workspace.createFileSystemWatcher(glob);
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(() => this.refreshSoon()),
      watcher.onDidDelete(() => this.refreshSoon()),
      watcher.onDidChange(() => this.refreshSoon()),
      store.onDidChange((batch) => batch.some((c) => c.kind === kind) && this.refreshSoon()),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** One refresh for a burst of changes. */
  protected refreshSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, 150);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

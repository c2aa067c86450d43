import type * as vscode from 'vscode';

/**
 * The one disposable tree: the extension puts a single root into
 * `context.subscriptions`, and every part is tracked by its parent.
 * Children are disposed in reverse order of creation.
 */
export class DisposableTree implements vscode.Disposable {
  private readonly children: { dispose(): unknown }[] = [];
  private disposed = false;

  track<T extends { dispose(): unknown }>(child: T): T {
    if (this.disposed) {
      void child.dispose();
      return child;
    }
    this.children.push(child);
    return child;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const child of this.children.splice(0).reverse()) {
      try {
        void child.dispose();
      } catch {
        // One part failing to dispose must not keep the others alive.
      }
    }
  }
}

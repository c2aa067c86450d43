import * as vscode from 'vscode';
import { errorMessage } from '../../../../common/src/errors';
import type { ExperimentsNode } from '../../core/views/experimentNodes';
import { ExperimentsTreeModel } from '../../core/views/experimentsTreeModel';
import type { StoreChange } from '../../core/tracking/repository';
import { safeChildren } from '../treeChildren';
import { experimentsItem } from './experimentItems';
import type { TrackingSource } from './trackingSource';

/**
 * The Experiments view: a thin VS Code adapter over ExperimentsTreeModel.
 * Store change batches are applied one after another and refresh only the
 * rows they touch.
 */
export class ExperimentsTreeProvider implements vscode.TreeDataProvider<ExperimentsNode>, vscode.Disposable {
  readonly model: ExperimentsTreeModel;
  private readonly changed = new vscode.EventEmitter<ExperimentsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private applying: Promise<void> = Promise.resolve();

  constructor(
    source: TrackingSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.model = new ExperimentsTreeModel(
      () => source.api(),
      () => source.remoteArtifacts?.(),
    );
    this.subscription = source.onDidChange((batch) => this.apply(batch));
  }

  private apply(batch: readonly StoreChange[]): void {
    this.applying = this.applying.then(async () => {
      try {
        for (const node of await this.model.applyChanges(batch)) this.changed.fire(node);
      } catch (error) {
        this.log.warn(`Experiments view: refresh failed: ${errorMessage(error)}`);
      }
    });
  }

  refresh(node?: ExperimentsNode): void {
    if (!node) this.model.reset();
    this.changed.fire(node);
  }

  getChildren(element?: ExperimentsNode): Promise<ExperimentsNode[]> {
    return safeChildren(
      'Experiments view',
      this.log,
      () => this.model.children(element),
      (message) => [{ kind: 'empty', id: `${element?.id ?? 'root'}:error`, text: `Could not read the store: ${message}` }],
    );
  }

  getParent(element: ExperimentsNode): ExperimentsNode | undefined {
    return this.model.parent(element);
  }

  getTreeItem(element: ExperimentsNode): vscode.TreeItem {
    return experimentsItem(element);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

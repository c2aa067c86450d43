import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import { RegistryTreeModel, type RegistryNode } from '../../core/views/registryTreeModel';
import { modelUris } from '../../core/views/registryRows';
import { relativeTime } from '../../core/views/runRows';
import { safeChildren } from '../treeChildren';
import type { TrackingSource } from './trackingSource';

const STAGE_ICONS: Record<string, vscode.ThemeIcon> = {
  Production: new vscode.ThemeIcon('rocket', new vscode.ThemeColor('charts.green')),
  Staging: new vscode.ThemeIcon('beaker', new vscode.ThemeColor('charts.yellow')),
  Archived: new vscode.ThemeIcon('archive', new vscode.ThemeColor('disabledForeground')),
  None: new vscode.ThemeIcon('versions'),
};

/** The Model Registry view: registered models, then versions with their stage badge and aliases. */
export class RegistryTreeProvider implements vscode.TreeDataProvider<RegistryNode>, vscode.Disposable {
  readonly model: RegistryTreeModel;
  private readonly changed = new vscode.EventEmitter<RegistryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    source: TrackingSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.model = new RegistryTreeModel(() => source.api());
    this.subscription = source.onDidChange((batch) => {
      for (const node of this.model.applyChanges(batch)) this.changed.fire(node);
    });
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(element?: RegistryNode): Promise<RegistryNode[]> {
    return safeChildren(
      'Model Registry view',
      this.log,
      () => this.model.children(element),
      (message) => [{ kind: 'empty', id: `${element?.id ?? 'root'}:error`, text: `Could not read the store: ${message}` }],
    );
  }

  getParent(element: RegistryNode): RegistryNode | undefined {
    return this.model.parent(element);
  }

  getTreeItem(node: RegistryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'model': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = node.latest;
        item.tooltip = node.description ?? node.name;
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'registeredModel';
        return item;
      }
      case 'version': {
        const row = node.row;
        const item = new vscode.TreeItem(`v${row.version}`, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = [
          row.stage !== 'None' ? row.stage : undefined,
          ...row.aliases.map((a) => `@${a}`),
          relativeTime(row.created, Date.now()),
        ]
          .filter(Boolean)
          .join(' · ');
        item.iconPath = STAGE_ICONS[row.stage] ?? STAGE_ICONS.None;
        const tooltip = new vscode.MarkdownString();
        tooltip.appendText(
          `${row.model} version ${row.version} — ${row.stage}\n${modelUris(row).join('\n')}\nsource ${row.source}${row.runId ? `\nrun ${row.runId}` : ''}\ncreated ${new Date(row.created).toLocaleString()}`,
        );
        item.tooltip = tooltip;
        item.contextValue = `modelVersion${row.aliases.length > 0 ? '.aliased' : ''}${row.runId ? '.withRun' : ''}`;
        if (row.runId) item.command = { command: Commands.openVersionRun, title: 'Show Source Run', arguments: [node] };
        return item;
      }
      case 'empty': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

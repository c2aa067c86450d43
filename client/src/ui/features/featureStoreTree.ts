import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import type { FeatureRegistry, ServiceSpec, ViewSpec } from '../../core/features/registry';
import type { Materialization } from '../../core/tracking/repository';
import { relativeTime } from '../../core/views/runRows';
import type { TrackingConnection } from '../tracking';
import { safeChildren } from '../treeChildren';
import { WatchingTree } from '../watchingTree';
import { FEATURES_GLOB, featuresFolder, readMaterializations, readRegistry } from './featureStoreState';

/** Plain data behind one row; the TreeItem is made in getTreeItem. */
export type FeatureNode =
  | { readonly kind: 'group'; readonly group: 'entities' | 'views' | 'services'; readonly registry: FeatureRegistry }
  | { readonly kind: 'entity'; readonly name: string; readonly joinKey: string; readonly file: string | undefined }
  | { readonly kind: 'view'; readonly view: ViewSpec; readonly last: Materialization | undefined; readonly busy: boolean }
  | { readonly kind: 'field'; readonly view: ViewSpec; readonly field: string }
  | { readonly kind: 'service'; readonly service: ServiceSpec; readonly file: string | undefined }
  | { readonly kind: 'feature'; readonly service: ServiceSpec; readonly view: string; readonly field: string }
  | { readonly kind: 'note'; readonly text: string; readonly error?: boolean };

const GROUPS = { entities: 'Entities', views: 'Feature Views', services: 'Feature Services' } as const;
const count = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/**
 * The workspace's feature store: entities, feature views (source, field
 * count, last materialisation) and services, from its features files, with
 * the materialisations of the workspace store. Follows the files and the
 * store's `online` changes.
 */
export class FeatureStoreTreeProvider extends WatchingTree<FeatureNode> implements vscode.TreeDataProvider<FeatureNode> {
  private readonly busy = new Set<string>();

  constructor(
    private readonly tracking: TrackingConnection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super(FEATURES_GLOB, tracking, 'online');
  }

  /** Shows the spinning icon on views being materialised. */
  setBusy(views: readonly string[], on: boolean): void {
    for (const v of views)
      if (on) this.busy.add(v);
      else this.busy.delete(v);
    this.refreshSoon();
  }

  getChildren(element?: FeatureNode): Promise<FeatureNode[]> {
    return safeChildren(
      'Feature Store view',
      this.log,
      () => this.children(element),
      (message) => [{ kind: 'note', text: message, error: true }],
    );
  }

  private async children(element?: FeatureNode): Promise<FeatureNode[]> {
    const folder = featuresFolder();
    if (!folder || !vscode.workspace.isTrusted) return [];
    if (!element) {
      const state = await readRegistry(folder);
      if ('error' in state) return [{ kind: 'note', text: state.error, error: true }];
      const { registry } = state;
      if (registry.views.size === 0 && registry.entities.size === 0) return [];
      return (['entities', 'views', 'services'] as const)
        .filter((group) => group !== 'services' || registry.services.size > 0)
        .map((group) => ({ kind: 'group', group, registry }));
    }
    switch (element.kind) {
      case 'group':
        return this.groupChildren(element.group, element.registry, folder);
      case 'view':
        return element.view.fields.map((field) => ({ kind: 'field', view: element.view, field }));
      case 'service':
        return element.service.features.map((f) => ({ kind: 'feature', service: element.service, view: f.view, field: f.field }));
      default:
        return [];
    }
  }

  private async groupChildren(
    group: 'entities' | 'views' | 'services',
    registry: FeatureRegistry,
    folder: vscode.WorkspaceFolder,
  ): Promise<FeatureNode[]> {
    const fileOfView = (name: string) => registry.views.get(name)?.file;
    if (group === 'entities') {
      const views = [...registry.views.values()];
      return [...registry.entities].map(([name, joinKey]) => ({
        kind: 'entity',
        name,
        joinKey,
        file: views.find((v) => v.joinKeys.includes(joinKey))?.file,
      }));
    }
    if (group === 'services')
      return [...registry.services.values()].map((service) => ({
        kind: 'service',
        service,
        file: fileOfView(service.features[0]?.view ?? ''),
      }));
    const materialized = await readMaterializations(this.tracking, folder).catch((error: unknown) => {
      this.log.warn(`Feature Store view: the materialisations could not be read: ${String(error)}`);
      return new Map<string, Materialization>();
    });
    return [...registry.views.values()].map((view) => ({
      kind: 'view',
      view,
      last: materialized.get(view.name),
      busy: this.busy.has(view.name),
    }));
  }

  getTreeItem(node: FeatureNode): vscode.TreeItem {
    switch (node.kind) {
      case 'note': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = node.error ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')) : undefined;
        item.tooltip = node.text;
        item.contextValue = 'featureNote';
        return item;
      }
      case 'group': {
        const size =
          node.group === 'entities'
            ? node.registry.entities.size
            : node.group === 'views'
              ? node.registry.views.size
              : node.registry.services.size;
        const item = new vscode.TreeItem(GROUPS[node.group], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.group}`;
        item.description = String(size);
        item.contextValue = 'featureGroup';
        return item;
      }
      case 'entity': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `entity:${node.name}`;
        item.description = `join key ${node.joinKey}`;
        item.iconPath = new vscode.ThemeIcon('symbol-key');
        item.contextValue = 'featureEntity';
        if (node.file) item.command = open(node.file, node.name);
        return item;
      }
      case 'view':
        return viewItem(node);
      case 'field': {
        const item = new vscode.TreeItem(node.field, vscode.TreeItemCollapsibleState.None);
        item.id = `field:${node.view.name}:${node.field}`;
        const column = node.view.source.columnOf.get(node.field);
        item.description = [node.view.dtypes.get(node.field), column ? `← ${column}` : undefined].filter(Boolean).join(' ');
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        item.contextValue = 'featureField';
        return item;
      }
      case 'service': {
        const item = new vscode.TreeItem(node.service.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `service:${node.service.name}`;
        const views = new Set(node.service.features.map((f) => f.view));
        item.description = `${count(node.service.features.length, 'feature')} from ${count(views.size, 'view')}`;
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'featureService';
        if (node.file) item.command = open(node.file, node.service.name);
        return item;
      }
      case 'feature': {
        const item = new vscode.TreeItem(`${node.view}:${node.field}`, vscode.TreeItemCollapsibleState.None);
        item.id = `feature:${node.service.name}:${node.view}:${node.field}`;
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        item.contextValue = 'featureServiceField';
        return item;
      }
    }
  }
}

const open = (file: string, name: string): vscode.Command => ({
  command: Commands.openFeatureDefinition,
  title: 'Open Feature Definition',
  arguments: [vscode.Uri.file(file), name],
});

function viewItem(node: Extract<FeatureNode, { kind: 'view' }>): vscode.TreeItem {
  const { view, last } = node;
  const item = new vscode.TreeItem(view.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `view:${view.name}`;
  const source = vscode.workspace.asRelativePath(view.source.file, false);
  const materialized = !view.online
    ? 'offline'
    : node.busy
      ? 'materializing…'
      : last
        ? `materialized ${relativeTime(last.time, Date.now())}, ${count(last.keys, 'key')}`
        : 'not materialized';
  item.description = `${source} · ${count(view.fields.length, 'field')} · ${materialized}`;
  item.iconPath = node.busy ? new vscode.ThemeIcon('sync~spin') : new vscode.ThemeIcon(view.online ? 'database' : 'table');
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(view.name)}**${view.online ? ' (online)' : ''}\n\n`);
  tooltip.appendMarkdown(`- source \`${escape(view.source.name)}\`: ${escape(source)}\n`);
  tooltip.appendMarkdown(`- entities: ${view.joinKeys.map((k) => `\`${escape(k)}\``).join(', ')}\n`);
  tooltip.appendMarkdown(`- ttl: ${view.ttlMs === 0 ? 'no limit' : `${view.ttlMs / 1000} s`}\n`);
  tooltip.appendMarkdown(`- ${count(view.fields.length, 'field')}: ${view.fields.map((f) => `\`${escape(f)}\``).join(', ')}\n`);
  if (last)
    tooltip.appendMarkdown(
      `- last materialized ${escape(new Date(last.time).toLocaleString())}: ${count(last.source_rows, 'source row')} read, ${count(last.keys, 'entity key')} written, up to ${escape(new Date(last.end_time).toISOString())}\n`,
    );
  item.tooltip = tooltip;
  item.contextValue = view.online ? 'featureView.online' : 'featureView';
  item.command = open(view.file, view.name);
  return item;
}

/** Markdown's special characters as text. */
const escape = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import { Views } from '../../../../common/src/ids/viewTypes';
import type { DisposableTree } from '../disposables';
import type { TrackingConnection } from '../tracking';
import { FeatureCommands } from './featureCommands';
import { FeatureStoreTreeProvider } from './featureStoreTree';
import { FeaturePreviewPanels } from './previewPanel';

export interface FeatureDeps {
  readonly extensionUri: vscode.Uri;
  readonly tracking: TrackingConnection;
  readonly output: vscode.LogOutputChannel;
}

/** The Feature Store view, the preview panel, and the commands on feature views (lenses, view, palette). */
export function registerFeatures(tree: DisposableTree, deps: FeatureDeps): void {
  const store = tree.track(new FeatureStoreTreeProvider(deps.tracking, deps.output));
  const view = tree.track(vscode.window.createTreeView(Views.featureStore, { treeDataProvider: store, showCollapseAll: true }));
  tree.track(deps.tracking.followVisibility(view));
  const commands = new FeatureCommands(deps.extensionUri, store, deps.output);
  const previews = tree.track(new FeaturePreviewPanels(deps.extensionUri, commands));
  tree.track(vscode.workspace.onDidGrantWorkspaceTrust(() => store.refresh()));

  const register = (id: string, fn: (...args: never[]) => unknown) => tree.track(vscode.commands.registerCommand(id, fn));
  // From a code lens (the file's URI as a string and the view's name), the view (a row), the palette (nothing).
  register(Commands.previewFeatureView, async (target?: unknown, name?: string) => {
    const picked = await commands.viewFor(target, name, 'Preview which feature view?', false);
    if (picked) await previews.show(picked);
  });
  register(Commands.materializeFeatures, (target?: unknown, name?: string) => commands.materialize(target, name));
  register(Commands.getOnlineFeatures, (target?: unknown) => commands.lookUp(target));
  register(Commands.buildTrainingSet, (target?: unknown) => commands.buildTrainingSet(target));
  register(Commands.refreshFeatureStore, () => store.refresh());
  register(Commands.openFeatureDefinition, (uri: vscode.Uri, name: string) => commands.openAt(uri, name));
}

import * as vscode from 'vscode';
import { errorMessage } from '../../common/src/errors';
import { Views } from '../../common/src/ids/viewTypes';
import { Settings } from '../../common/src/settings';
import { registerCommands } from './ui/commands';
import { setting } from './ui/config';
import { DisposableTree } from './ui/disposables';
import { PipelineGraphPanel } from './ui/graphPanel';
import { createLanguageClient, followValidationSettings } from './ui/languageClient';
import { registerExportCommands } from './ui/export/exportCommands';
import { registerMaturity } from './ui/maturity/maturityViews';
import { registerWalkthrough } from './ui/walkthrough';
import { registerReproduceCommands } from './ui/run/reproduceCommands';
import { registerFeatures } from './ui/features/featureViews';
import { registerMonitors } from './ui/monitors/monitorViews';
import { notify } from './ui/notify';
import { PipelinesTreeProvider } from './ui/pipelinesView';
import { RunController } from './ui/run/runController';
import { RunTaskProvider } from './ui/run/runTaskProvider';
import { TASK_TYPE } from './ui/run/taskDefinition';
import { TrackingConnection } from './ui/tracking';
import { registerTrackingViews } from './ui/trees/trackingViews';

let root: DisposableTree | undefined;
let stopClient: (() => Promise<void>) | undefined;
let closeTracking: (() => Promise<void>) | undefined;
let stopRuns: (() => Promise<void>) | undefined;

/** Composes the parts; everything hangs off one disposable tree. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  root = new DisposableTree();
  context.subscriptions.push(root);

  const output = root.track(vscode.window.createOutputChannel('MLOps Workbench', { log: true }));
  const client = createLanguageClient(context, output);
  stopClient = () => client.stop().catch(() => undefined);
  root.track({ dispose: () => stopClient?.() });
  root.track(followValidationSettings(client));
  const tracking = root.track(new TrackingConnection(context, client, output));
  const graph = root.track(new PipelineGraphPanel(context.extensionUri, tracking, output));
  closeTracking = () => tracking.close();
  const pipelines = root.track(new PipelinesTreeProvider(output, tracking));
  const pipelinesView = root.track(vscode.window.createTreeView(Views.pipelines, { treeDataProvider: pipelines, showCollapseAll: true }));
  root.track(tracking.followVisibility(pipelinesView));
  const views = registerTrackingViews(root, tracking, output, context.extensionUri);
  const runs = root.track(new RunController(tracking, output));
  stopRuns = () => runs.stopAll();
  root.track(vscode.tasks.registerTaskProvider(TASK_TYPE, new RunTaskProvider(runs)));
  registerCommands(root, { client, output, pipelines, graph, tracking, runs, revealRun: views.revealRun });
  registerMonitors(root, { extensionUri: context.extensionUri, tracking, runs, output });
  registerFeatures(root, { extensionUri: context.extensionUri, tracking, output });
  registerExportCommands(root, { context, output });
  registerMaturity(root, { context, tracking, output });
  registerWalkthrough(root, context);
  registerReproduceCommands(root, { tracking, runs, output });

  try {
    await client.start();
  } catch (error) {
    const message = errorMessage(error);
    output.error(`The MLOps language server did not start: ${message}`);
    void notify
      .error(`MLOps Workbench: the language server did not start (${message}).`, { plain: true, actions: ['Show Output'] })
      .then((choice) => choice && output.show(true));
  }
  const startOnOpen = () => setting(Settings.trackingStartOnOpen);
  if (startOnOpen()) void tracking.start();
  root.track(vscode.workspace.onDidGrantWorkspaceTrust(() => startOnOpen() && void tracking.start()));
}

/** Waits for the language server to shut down cleanly, then disposes the rest. */
export async function deactivate(): Promise<void> {
  const current = root;
  const stop = stopClient;
  const close = closeTracking;
  const runs = stopRuns;
  root = undefined;
  stopClient = undefined;
  closeTracking = undefined;
  stopRuns = undefined;
  // Cancelled runs record their end (KILLED) while the store is still open.
  await runs?.().catch(() => undefined);
  // Save the store and release its lock before the host goes away.
  await Promise.all([stop?.(), close?.()]);
  current?.dispose();
}

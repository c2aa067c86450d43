import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands } from '../../../common/src/ids/commands';
import { newPipelineFile } from './newPipeline';
import { notify } from './notify';
import { findPipelineFiles, targetFile } from './workspaceFiles';
import type { DisposableTree } from './disposables';
import type { PipelineGraphPanel } from './graphPanel';
import type { PipelinesTreeProvider } from './pipelinesView';
import type { RunController } from './run/runController';
import type { TrackingConnection } from './tracking';

export interface CommandDeps {
  readonly client: LanguageClient;
  readonly output: vscode.LogOutputChannel;
  readonly pipelines: PipelinesTreeProvider;
  readonly graph: PipelineGraphPanel;
  readonly tracking: TrackingConnection;
  readonly runs: RunController;
  /** Shows a run in the Experiments view. */
  readonly revealRun: (runId: string) => Promise<void>;
}

export function registerCommands(tree: DisposableTree, deps: CommandDeps): void {
  const register = (id: string, fn: (...args: never[]) => unknown) => tree.track(vscode.commands.registerCommand(id, fn));

  register(Commands.restartServer, async () => {
    await notify.progress('Restarting the MLOps language server', 'window', () => deps.client.restart());
  });
  register(Commands.newPipeline, () => newPipelineFile());
  register(Commands.showOutput, () => deps.output.show(true));
  register(Commands.refreshPipelines, () => deps.pipelines.refresh());
  register(Commands.showPipelineGraph, async (target?: vscode.Uri | { uri: vscode.Uri } | string) => {
    const uri = await pipelineTarget(target);
    if (uri) deps.graph.show(uri);
  });
  register(Commands.runPipeline, async (target?: vscode.Uri | { uri: vscode.Uri } | string) => {
    const uri = await pipelineTarget(target);
    if (uri) await deps.runs.runFromCommand(uri);
  });
  register(Commands.runPipelineWithParams, async (target?: vscode.Uri | { uri: vscode.Uri } | string) => {
    const uri = await pipelineTarget(target);
    if (uri) await deps.runs.runFromCommand(uri, { askParams: true });
  });
  // From the "Run step" code lens: the document URI and the step id.
  register(Commands.runStep, async (target?: vscode.Uri | string, step?: string) => {
    const uri = await pipelineTarget(target);
    if (!uri) return;
    if (!step) {
      void notify.info('use the "Run step" code lens above a step to run that step.');
      return;
    }
    await deps.runs.runFromCommand(uri, { steps: [step] });
  });
  register(Commands.cancelRun, () => deps.runs.cancel());
  register(Commands.showRunActions, () => deps.runs.showActions());
  // A run id (notifications, the Pipelines view): that run in the Experiments view; none: the last run's terminal.
  register(Commands.showRun, (runId?: string) => (typeof runId === 'string' ? deps.revealRun(runId) : deps.runs.showRun()));
  // mlops.checkDrift and the other monitor commands: ./monitors/monitorViews.ts.
  register(Commands.showTrackingEndpoint, () => deps.tracking.showEndpoint());
  register(Commands.setTrackingCredentials, () => deps.tracking.setCredentials());
  register(Commands.switchTrackingStore, () => deps.tracking.switchStore());
  register(Commands.openPipeline, async (uri: vscode.Uri) => {
    await vscode.window.showTextDocument(uri, { preview: true });
  });
}

/**
 * The pipeline file a command is about: its argument (a URI, or a tree row
 * holding one), else the active editor's file, else one the user picks.
 */
function pipelineTarget(target?: vscode.Uri | { uri: vscode.Uri } | string): Promise<vscode.Uri | undefined> {
  return targetFile(target !== undefined && typeof target === 'object' && !(target instanceof vscode.Uri) ? target.uri : target, {
    languageId: 'mlops-pipeline',
    find: findPipelineFiles,
    none: { message: 'No *.pipeline.yaml file in this workspace. Create one with "MLOps: New Pipeline File".', plain: true },
    placeHolder: 'Pipeline file',
  });
}

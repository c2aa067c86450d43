import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands } from './commandIds';
import { newPipelineFile } from './newPipeline';
import type { DisposableTree } from './disposables';
import type { PipelinesTreeProvider } from './pipelinesView';

export interface CommandDeps {
  readonly client: LanguageClient;
  readonly output: vscode.LogOutputChannel;
  readonly pipelines: PipelinesTreeProvider;
}

export function registerCommands(tree: DisposableTree, deps: CommandDeps): void {
  const register = (id: string, fn: (...args: never[]) => unknown) => tree.track(vscode.commands.registerCommand(id, fn));

  register(Commands.restartServer, async () => {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Restarting the MLOps language server' },
      () => deps.client.restart(),
    );
  });
  register(Commands.newPipeline, () => newPipelineFile());
  register(Commands.showOutput, () => deps.output.show(true));
  register(Commands.refreshPipelines, () => deps.pipelines.refresh());
  register(Commands.openPipeline, async (uri: vscode.Uri) => {
    await vscode.window.showTextDocument(uri, { preview: true });
  });
}

import * as vscode from 'vscode';
import { registerCommands } from './ui/commands';
import { Views } from './ui/commandIds';
import { DisposableTree } from './ui/disposables';
import { PipelineGraphPanel } from './ui/graphPanel';
import { createLanguageClient } from './ui/languageClient';
import { PipelinesTreeProvider } from './ui/pipelinesView';

let root: DisposableTree | undefined;

/** Composes the parts; everything hangs off one disposable tree. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  root = new DisposableTree();
  context.subscriptions.push(root);

  const output = root.track(vscode.window.createOutputChannel('MLOps Workbench', { log: true }));
  const pipelines = root.track(new PipelinesTreeProvider());
  root.track(vscode.window.createTreeView(Views.pipelines, { treeDataProvider: pipelines, showCollapseAll: false }));

  const client = createLanguageClient(context, output);
  root.track({ dispose: () => client.stop() });
  const graph = root.track(new PipelineGraphPanel(context.extensionUri));
  registerCommands(root, { client, output, pipelines, graph });

  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.appendLine(`The MLOps language server did not start: ${message}`);
    void vscode.window.showErrorMessage(`MLOps Workbench: the language server did not start (${message}).`, 'Show Output').then((choice) => {
      if (choice) output.show(true);
    });
  }
}

export function deactivate(): Thenable<void> | undefined {
  const current = root;
  root = undefined;
  current?.dispose();
  return undefined;
}

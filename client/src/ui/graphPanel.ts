import * as vscode from 'vscode';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kindOfPath, parseMlopsDocument } from '../../../common/src';
import { errorMessage } from '../../../common/src/errors';
import { Commands } from '../../../common/src/ids/commands';
import { ViewTypes } from '../../../common/src/ids/viewTypes';
import { pipelineGraph, type PipelineGraph } from '../../../common/src/pipeline/graph';
import type { GraphHostMessage, GraphViewMessage } from '../../../common/src/protocol/graphMessages';
import { GraphRunHandler } from '../core/graph/graphRunHandler';
import { notify } from './notify';
import type { TrackingSource } from './trees/trackingSource';
import { setWebviewPage } from './webviewPage';

const UPDATE_DELAY_MS = 250;

/**
 * One panel showing the step graph of a pipeline file. It follows edits of
 * that file and switches to another pipeline file when one becomes active.
 * A run of the pipeline (the latest, or one picked) is drawn on it and
 * follows the store's changes (core/graph/graphRunHandler.ts).
 */
export class PipelineGraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: vscode.Uri | undefined;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private handler: GraphRunHandler | undefined;
  private followed: vscode.Disposable | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly tracking: TrackingSource,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      tracking.onDidChange((batch) => this.handler?.onStoreChange(batch)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.shown && e.document.uri.toString() === this.shown.toString()) this.scheduleUpdate();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel && editor && kindOfPath(editor.document.uri.path) === 'pipeline') this.show(editor.document.uri, false);
      }),
    );
  }

  show(uri: vscode.Uri, reveal = true): void {
    this.shown = uri;
    if (!this.panel) {
      this.panel = this.createPanel();
    } else if (reveal) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.title = `Graph: ${vscode.workspace.asRelativePath(uri)}`;
    if (this.ready) void this.update();
  }

  private createPanel(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(ViewTypes.pipelineGraph, 'Pipeline Graph', {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    setWebviewPage(panel, this.extensionUri, { bundle: 'graph', stylesheet: 'graph.css', title: 'Pipeline Graph' });
    panel.webview.onDidReceiveMessage((message: GraphViewMessage) => this.onMessage(message));
    const workspaceDir = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    this.handler = new GraphRunHandler({
      api: () => this.tracking.api(),
      post: (message) => void panel.webview.postMessage(message),
      log: (message) => this.output.warn(message),
      ...(workspaceDir ? { workspaceDir } : {}),
    });
    // A team server is polled every 2 s while the graph is in sight.
    this.followed = this.tracking.followVisibility?.({
      get visible() {
        return panel.visible;
      },
      onDidChangeVisibility: panel.onDidChangeViewState,
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.shown = undefined;
      this.handler?.dispose();
      this.handler = undefined;
      this.followed?.dispose();
      this.followed = undefined;
    });
    return panel;
  }

  private onMessage(message: GraphViewMessage): void {
    switch (message.type) {
      case 'initialized':
        this.ready = true;
        void this.update(true);
        break;
      case 'revealStep':
        void this.revealStep(message.payload.stepId);
        break;
      case 'openLog':
        void this.openLog(message.payload.stepId);
        break;
      case 'runStep':
        // The same command as the "Run step" code lens: that step, plus what it needs whose outputs are missing.
        if (this.shown) void vscode.commands.executeCommand(Commands.runStep, this.shown, message.payload.stepId);
        break;
      case 'selectRun':
        void this.handler?.select(message.payload.runId);
        break;
      case 'stepDetails':
        void this.handler?.details(message.payload.stepId);
        break;
    }
  }

  /** The step's log in the run shown: a file here, or downloaded from a team server as the Experiments view does. */
  private async openLog(stepId: string): Promise<void> {
    const log = await this.handler?.logOf(stepId);
    if (!log) {
      void notify.info(`step ${stepId} has no log in this run (it has not started, or it did not run).`);
      return;
    }
    if ('file' in log) {
      try {
        await vscode.window.showTextDocument(vscode.Uri.file(log.file), { preview: true, viewColumn: this.editorColumn() });
      } catch (error) {
        void notify.warn(`cannot open the log of step ${stepId} (${log.file}): ${errorMessage(error)}`);
      }
    } else await vscode.commands.executeCommand(Commands.openRunArtifact, log.runId, log.artifact);
  }

  /** The column of the pipeline's editor, or the first: logs and the step open beside the graph, not over it. */
  private editorColumn(): vscode.ViewColumn {
    const shown = this.shown?.toString();
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === shown)?.viewColumn ?? vscode.ViewColumn.One;
  }

  private scheduleUpdate(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  /** Posts the graph of the file shown and hands it to the run handler; `reloaded`: the page has nothing yet. */
  private async update(reloaded = false): Promise<void> {
    const uri = this.shown;
    const panel = this.panel;
    if (!uri || !panel || !this.ready) return;
    const file = vscode.workspace.asRelativePath(uri);
    let message: GraphHostMessage;
    let read: Awaited<ReturnType<typeof readGraph>> | undefined;
    try {
      read = await readGraph(uri);
      message = { type: 'graph', payload: { file, graph: read.graph } };
    } catch (error) {
      message = { type: 'problem', payload: { file, message: `Could not read ${file}: ${errorMessage(error)}` } };
    }
    if (uri !== this.shown) return;
    void panel.webview.postMessage(message);
    if (read && uri.scheme === 'file')
      await this.handler?.setPipeline(
        {
          file: uri.fsPath,
          relative: vscode.workspace.asRelativePath(uri, false),
          text: read.document.getText(),
          graph: read.graph,
        },
        reloaded,
      );
  }

  private async revealStep(stepId: string): Promise<void> {
    if (!this.shown) return;
    const { document, graph } = await readGraph(this.shown);
    const node = graph.nodes.find((n) => n.id === stepId);
    if (!node) return;
    const range = new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + stepId.length));
    await vscode.window.showTextDocument(document, { viewColumn: this.editorColumn(), selection: range });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.handler?.dispose();
    this.followed?.dispose();
    this.panel?.dispose();
  }
}

/** The pipeline graph of the file as the editor has it now (unsaved edits included). */
async function readGraph(uri: vscode.Uri): Promise<{ document: vscode.TextDocument; graph: PipelineGraph }> {
  const document = await vscode.workspace.openTextDocument(uri);
  const text = TextDocument.create(uri.toString(), document.languageId, document.version, document.getText());
  return { document, graph: pipelineGraph(parseMlopsDocument(text, 'pipeline')) };
}

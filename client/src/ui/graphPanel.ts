import * as vscode from 'vscode';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kindOfPath, parseMlopsDocument } from '../../../common/src';
import { errorMessage } from '../../../common/src/errors';
import { ViewTypes } from '../../../common/src/ids/viewTypes';
import { pipelineGraph, type PipelineGraph } from '../../../common/src/pipeline/graph';
import type { GraphHostMessage, GraphViewMessage } from '../../../common/src/protocol/graphMessages';
import { setWebviewPage } from './webviewPage';

const UPDATE_DELAY_MS = 250;

/**
 * One panel showing the step graph of a pipeline file. It follows edits of
 * that file and switches to another pipeline file when one becomes active.
 */
export class PipelineGraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: vscode.Uri | undefined;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.subscriptions.push(
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
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.shown = undefined;
    });
    return panel;
  }

  private onMessage(message: GraphViewMessage): void {
    switch (message.type) {
      case 'initialized':
        this.ready = true;
        void this.update();
        break;
      case 'revealStep':
        void this.revealStep(message.payload.stepId);
        break;
    }
  }

  private scheduleUpdate(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  private async update(): Promise<void> {
    const uri = this.shown;
    const panel = this.panel;
    if (!uri || !panel || !this.ready) return;
    const file = vscode.workspace.asRelativePath(uri);
    let message: GraphHostMessage;
    try {
      message = { type: 'graph', payload: { file, graph: (await readGraph(uri)).graph } };
    } catch (error) {
      message = { type: 'problem', payload: { file, message: `Could not read ${file}: ${errorMessage(error)}` } };
    }
    if (uri === this.shown) void panel.webview.postMessage(message);
  }

  private async revealStep(stepId: string): Promise<void> {
    if (!this.shown) return;
    const { document, graph } = await readGraph(this.shown);
    const node = graph.nodes.find((n) => n.id === stepId);
    if (!node) return;
    const range = new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + stepId.length));
    const column = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(document, { viewColumn: column, selection: range });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.panel?.dispose();
  }
}

/** The pipeline graph of the file as the editor has it now (unsaved edits included). */
async function readGraph(uri: vscode.Uri): Promise<{ document: vscode.TextDocument; graph: PipelineGraph }> {
  const document = await vscode.workspace.openTextDocument(uri);
  const text = TextDocument.create(uri.toString(), document.languageId, document.version, document.getText());
  return { document, graph: pipelineGraph(parseMlopsDocument(text, 'pipeline')) };
}

import * as vscode from 'vscode';
import { ViewTypes } from '../../../../common/src/ids/viewTypes';
import type { ModelHostMessage, ModelView, ModelViewMessage } from '../../../../common/src/protocol/modelMessages';
import { setWebviewPage } from '../webviewPage';

/**
 * "Show Model": one panel per MLflow model folder with its flavors, signature and input example
 * (webviews/src/model/main.ts draws it). `load` reads the folder again each time the panel asks.
 */
export class ModelPanels implements vscode.Disposable {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; load: () => Promise<ModelView> }>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(key: string, title: string, load: () => Promise<ModelView>): void {
    const existing = this.open.get(key);
    if (existing) {
      existing.load = load;
      existing.panel.reveal(vscode.ViewColumn.Active, false);
      void this.send(existing.panel, load);
      return;
    }
    const panel = vscode.window.createWebviewPanel(ViewTypes.model, title, vscode.ViewColumn.Active, { retainContextWhenHidden: false });
    setWebviewPage(panel, this.extensionUri, { bundle: 'model', stylesheet: 'model.css', title });
    const entry = { panel, load };
    this.open.set(key, entry);
    panel.webview.onDidReceiveMessage((message: ModelViewMessage) => {
      if (message.type === 'initialized') void this.send(panel, entry.load);
    });
    panel.onDidDispose(() => this.open.delete(key));
  }

  private async send(panel: vscode.WebviewPanel, load: () => Promise<ModelView>): Promise<void> {
    let message: ModelHostMessage;
    try {
      message = { type: 'model', payload: await load() };
    } catch (error) {
      message = { type: 'problem', payload: { message: error instanceof Error ? error.message : String(error) } };
    }
    await panel.webview.postMessage(message);
  }

  dispose(): void {
    for (const { panel } of [...this.open.values()]) panel.dispose();
    this.open.clear();
  }
}

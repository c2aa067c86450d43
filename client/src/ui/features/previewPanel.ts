import * as vscode from 'vscode';
import type { FeatureViewPreview } from '../../../../common/src/features/preview';
import { ViewTypes } from '../../../../common/src/ids/viewTypes';
import type { FeaturePreviewHostMessage, FeaturePreviewViewMessage } from '../../../../common/src/protocol/featurePreviewMessages';
import { setWebviewPage } from '../webviewPage';

export interface PreviewSource {
  /** The preview of the view, or an error that names the file and column. */
  preview(view: string): Promise<FeatureViewPreview>;
  openDefinition(view: string): Promise<void>;
}

interface OpenPreview {
  readonly panel: vscode.WebviewPanel;
  ready: boolean;
  /** The latest request wins: an older answer arriving later is dropped. */
  generation: number;
}

/** "Preview Feature View": one panel per view, read again on Refresh and when shown again. */
export class FeaturePreviewPanels implements vscode.Disposable {
  private readonly open = new Map<string, OpenPreview>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: PreviewSource,
  ) {}

  async show(view: string): Promise<void> {
    let entry = this.open.get(view);
    if (entry) {
      entry.panel.reveal(vscode.ViewColumn.Active, false);
      if (entry.ready) await this.load(view, entry);
      return;
    }
    const panel = vscode.window.createWebviewPanel(ViewTypes.featurePreview, `Preview: ${view}`, vscode.ViewColumn.Active, {
      retainContextWhenHidden: true,
    });
    setWebviewPage(panel, this.extensionUri, { bundle: 'featurePreview', stylesheet: 'featurePreview.css', title: `Preview: ${view}` });
    entry = { panel, ready: false, generation: 0 };
    this.open.set(view, entry);
    panel.webview.onDidReceiveMessage((message: FeaturePreviewViewMessage) => this.onMessage(view, message));
    panel.onDidDispose(() => this.open.delete(view));
  }

  private onMessage(view: string, message: FeaturePreviewViewMessage): void {
    const entry = this.open.get(view);
    if (!entry) return;
    if (message.type === 'initialized') {
      entry.ready = true;
      void this.load(view, entry);
    } else if (message.type === 'refresh') void this.load(view, entry);
    else void this.source.openDefinition(view);
  }

  private async load(view: string, entry: OpenPreview): Promise<void> {
    const generation = ++entry.generation;
    const post = (message: FeaturePreviewHostMessage) => void entry.panel.webview.postMessage(message);
    post({ type: 'loading', view });
    let message: FeaturePreviewHostMessage;
    try {
      message = { type: 'preview', payload: await this.source.preview(view) };
    } catch (error) {
      message = { type: 'error', view, message: error instanceof Error ? error.message : String(error) };
    }
    if (generation === entry.generation && this.open.get(view) === entry) post(message);
  }

  dispose(): void {
    for (const entry of [...this.open.values()]) entry.panel.dispose();
    this.open.clear();
  }
}

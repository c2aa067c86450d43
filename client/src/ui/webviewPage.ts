import * as vscode from 'vscode';
import { webviewHtml } from './webviewHtml';

/** One page of ours: its bundle in webviews/out, its stylesheet in media, its title. */
export interface PageSpec {
  readonly bundle: string;
  readonly stylesheet: string;
  readonly title: string;
}

/**
 * Points a (new or revived) panel at its page: scripts on, only the bundles
 * and media folders readable, and the nonce-CSP shell (./webviewHtml.ts)
 * loading `webviews/out/<bundle>.js` and `media/<stylesheet>`.
 */
export function setWebviewPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, page: PageSpec): void {
  const out = vscode.Uri.joinPath(extensionUri, 'webviews', 'out');
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  const webview = panel.webview;
  webview.options = { enableScripts: true, localResourceRoots: [out, media] };
  panel.iconPath = vscode.Uri.joinPath(media, 'activity.svg');
  webview.html = webviewHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(out, `${page.bundle}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, page.stylesheet)).toString(),
    title: page.title,
  });
}

import * as vscode from 'vscode';
import { webviewHtml } from '../webviewHtml';

/** The options every chart panel gets: scripts on, and only the bundles and media folders readable. */
export function chartPanelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'webviews', 'out'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Points a (new or revived) panel at its page: the nonce-CSP shell with `webviews/out/<bundle>.js` and `media/charts.css`. */
export function setChartPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, bundle: string, title: string): void {
  const webview = panel.webview;
  webview.options = chartPanelOptions(extensionUri);
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity.svg');
  webview.html = webviewHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'webviews', 'out', `${bundle}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'charts.css')).toString(),
    title,
  });
}

/** Asks where to save an export (beside the workspace by default) and writes it. */
export async function saveExport(file: { defaultName: string; kind: 'png' | 'csv'; data: Uint8Array | string }): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, file.defaultName) } : {}),
    filters: file.kind === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
    title: file.kind === 'png' ? 'Save chart as PNG' : 'Save metric history as CSV',
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data);
  void vscode.window.setStatusBarMessage(`Saved ${vscode.workspace.asRelativePath(target)}`, 3000);
}

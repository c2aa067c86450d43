import * as vscode from 'vscode';

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

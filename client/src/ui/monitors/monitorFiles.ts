import * as vscode from 'vscode';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseMlopsDocument } from '../../../../common/src';
import { monitorModel } from '../../../../common/src/monitor/model';

/** What the Monitors view needs of a monitor file without checking it: its name and its `schedule`. */
export interface MonitorFileInfo {
  readonly uri: vscode.Uri;
  /** The `monitor:` name (the key of its history in the store); the file name when it has none. */
  readonly name: string;
}

/** The editor's text when the file is open, else the disk's. */
export async function monitorText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export async function monitorInfo(uri: vscode.Uri): Promise<MonitorFileInfo> {
  const fallback = uri.path
    .split('/')
    .pop()!
    .replace(/\.monitor\.ya?ml$/i, '');
  const text = await monitorText(uri);
  if (text === undefined) return { uri, name: fallback };
  try {
    const doc = parseMlopsDocument(TextDocument.create(uri.toString(), 'mlops-monitor', 1, text), 'monitor');
    return { uri, name: monitorModel(doc).name?.name || fallback };
  } catch {
    return { uri, name: fallback };
  }
}

import type { CodeLens } from 'vscode-languageserver';
import type { ParsedDocument } from '../../../../common/src';
import { Commands } from '../../../../common/src/ids/commands';
import { monitorModel } from '../../../../common/src/monitor/model';

/** "Check drift" on the `monitor:` line; the command's argument is the monitor's URI. */
export function monitorCodeLenses(doc: ParsedDocument): CodeLens[] {
  const key = monitorModel(doc).nameKey;
  if (!key) return [];
  const start = doc.text.positionAt(key.start);
  return [{ range: { start, end: start }, command: { title: '$(pulse) Check drift', command: Commands.checkDrift, arguments: [doc.uri] } }];
}

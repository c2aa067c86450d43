import type { CodeLens } from 'vscode-languageserver';
import type { ParsedDocument } from '../../../../common/src';
import { monitorModel } from '../../../../common/src/monitor/model';

/** The client's command (the monitoring issue implements it); its argument is the monitor's URI. */
export const CHECK_DRIFT_COMMAND = 'mlops.checkDrift';

/** "Check drift" on the `monitor:` line. */
export function monitorCodeLenses(doc: ParsedDocument): CodeLens[] {
  const key = monitorModel(doc).nameKey;
  if (!key) return [];
  const start = doc.text.positionAt(key.start);
  return [{ range: { start, end: start }, command: { title: '$(pulse) Check drift', command: CHECK_DRIFT_COMMAND, arguments: [doc.uri] } }];
}

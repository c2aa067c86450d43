import type { CodeLens } from 'vscode-languageserver';
import type { ParsedDocument } from '../../../../common/src';
import { featuresModel } from '../../../../common/src/features/model';
import { Commands } from '../../../../common/src/ids/commands';

/** "Preview" on each feature view, and "Materialize" on an online one; the arguments are the file's URI and the view's name. */
export function featuresCodeLenses(doc: ParsedDocument): CodeLens[] {
  const out: CodeLens[] = [];
  for (const view of featuresModel(doc).views) {
    const start = doc.text.positionAt(view.start);
    const range = { start, end: start };
    out.push({ range, command: { title: '$(table) Preview', command: Commands.previewFeatureView, arguments: [doc.uri, view.name] } });
    if (view.online)
      out.push({
        range,
        command: { title: '$(database) Materialize', command: Commands.materializeFeatures, arguments: [doc.uri, view.name] },
      });
  }
  return out;
}

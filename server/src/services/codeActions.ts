import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { MlopsDiagnostic, ParsedDocument } from '../../../common/src';
import { toLspDiagnostic } from './diagnostics';

/** Quick fixes: the fixes each diagnostic touching `range` carries (computed with the diagnostic, see common/src/pipeline/rules). */
export function codeActions(doc: ParsedDocument, diagnostics: readonly MlopsDiagnostic[], range: Range): CodeAction[] {
  const text = doc.text;
  const from = text.offsetAt(range.start);
  const to = text.offsetAt(range.end);
  const out: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (!diagnostic.fixes || diagnostic.end < from || diagnostic.start > to) continue;
    const lsp = toLspDiagnostic(doc, diagnostic);
    for (const fix of diagnostic.fixes) {
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        ...(fix.preferred ? { isPreferred: true } : {}),
        edit: {
          changes: {
            [doc.uri]: fix.edits.map((e) => ({
              range: { start: text.positionAt(e.start), end: text.positionAt(e.end) },
              newText: e.newText,
            })),
          },
        },
      });
    }
  }
  return out;
}

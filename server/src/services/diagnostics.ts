import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, type MlopsDiagnostic, type ParsedDocument, type Severity } from '../../../common/src';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Offsets become line/character only here, at the edge of the LSP reply. */
export function toLspDiagnostic(doc: Pick<ParsedDocument, 'uri' | 'text'>, d: MlopsDiagnostic): Diagnostic {
  return {
    range: { start: doc.text.positionAt(d.start), end: doc.text.positionAt(d.end) },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
    ...(d.related?.length
      ? {
          relatedInformation: d.related.map((r) => ({
            location: r.elsewhere ?? { uri: doc.uri, range: { start: doc.text.positionAt(r.start), end: doc.text.positionAt(r.end) } },
            message: r.message,
          })),
        }
      : {}),
  };
}

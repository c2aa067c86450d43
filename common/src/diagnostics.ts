/** Diagnostic codes of docs/formats.md (section Diagnostic codes). Every diagnostic the project reports carries one. */
export type DiagnosticCode =
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'unknown-key'
  | 'missing-key'
  | 'type-mismatch'
  | 'invalid-name'
  | 'invalid-duration'
  | 'bad-expression'
  | 'unknown-param'
  | 'unknown-step'
  | 'unknown-output'
  | 'cycle'
  | 'param-default'
  | 'output-conflict'
  | 'unused-param'
  | 'missing-file'
  | 'invalid-dtype'
  | 'unknown-entity'
  | 'unknown-source'
  | 'unknown-feature-view'
  | 'unknown-feature'
  | 'duplicate-name'
  | 'join-key-type'
  | 'column-not-found'
  | 'unknown-method'
  | 'unknown-pipeline'
  | 'deprecated-key'
  | 'missing-image'
  | 'quoted-expression';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** The `source` of every diagnostic, in the editor and the CLI alike. */
export const DIAGNOSTIC_SOURCE = 'mlops';

/**
 * A problem found in a document. Positions are character offsets into the
 * document text; they become line/character only at the edge (LSP reply, CLI line).
 */
export interface MlopsDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** Other places that explain this one (LSP relatedInformation): in this document, or `elsewhere`. */
  readonly related?: readonly RelatedLocation[];
  /** Quick fixes, as edits of this document; the first `preferred` one is the default fix. */
  readonly fixes?: readonly Fix[];
}

/** Replace `[start, end)` with `newText`; an insertion has start === end. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

export interface RelatedLocation {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** Another document (a cross-file duplicate): its URI, and the range already as LSP positions. */
  readonly elsewhere?: {
    readonly uri: string;
    readonly range: { readonly start: { line: number; character: number }; readonly end: { line: number; character: number } };
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Sorts by position, then severity, so every consumer lists problems in one order. */
export function compareDiagnostics(a: MlopsDiagnostic, b: MlopsDiagnostic): number {
  return a.start - b.start || a.end - b.end || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}

import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileSummary, Span, ValidationContext, WorkspaceView } from '../../../common/src';

/** What the features and monitor services need beyond the document: the workspace index and the disk. */
export interface WorkspaceEnv {
  readonly workspace: WorkspaceView;
  readonly context: ValidationContext;
  /** The summary of an indexed file, current for open documents. */
  summary(uri: string): FileSummary | undefined;
  /** Registered model names pushed by the client. */
  readonly registeredModels: readonly string[];
}

export function rangeIn(text: TextDocument, span: Span): Range {
  return { start: text.positionAt(span.start), end: text.positionAt(span.end) };
}

export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The last path segment of a URI, decoded: for messages and hovers. */
export function fileName(uri: string): string {
  try {
    return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
  } catch {
    return uri.slice(uri.lastIndexOf('/') + 1);
  }
}

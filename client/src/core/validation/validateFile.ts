import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  kindInfo,
  kindOfPath,
  parseMlopsDocument,
  validateDocument,
  type DocumentKind,
  type MlopsDiagnostic,
  type ParsedDocument,
  type WorkspaceView,
} from '../../../../common/src';
import { errorMessage } from '../../../../common/src/errors';
import { nodeWorkspaceContext } from '../../../../common/src/node/workspaceContext';

/** A diagnostic with 1-based line and column, as editors and CI logs count them. */
export interface LocatedDiagnostic extends MlopsDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface FileReport {
  readonly file: string;
  readonly kind: DocumentKind;
  readonly diagnostics: readonly LocatedDiagnostic[];
}

export interface ValidateFileOptions {
  /** The other files references resolve through (see indexFiles.ts); default: the file alone. */
  readonly workspace?: WorkspaceView;
  /** The file already parsed. */
  readonly doc?: ParsedDocument;
}

/** Runs the language server's validators over one file on disk. */
export async function validateFile(file: string, options: ValidateFileOptions = {}): Promise<FileReport> {
  const kind = kindOfPath(file);
  if (!kind) throw new Error(`${file} is not a pipeline, features or monitor file`);
  const doc =
    options.doc ??
    parseMlopsDocument(
      TextDocument.create(pathToFileURL(file).toString(), kindInfo(kind).languageId, 1, await readFile(file, 'utf8')),
      kind,
    );
  const text = doc.text;
  const onRuleError = (rule: string, error: unknown) => {
    throw new Error(`internal error: rule ${rule} failed on ${file}: ${errorMessage(error)}`);
  };
  const diagnostics = validateDocument(doc, { context: nodeWorkspaceContext(options.workspace), onRuleError }).map((d) => {
    const start = text.positionAt(d.start);
    const end = text.positionAt(d.end);
    return { ...d, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  });
  return { file, kind, diagnostics };
}

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { kindOfLanguageId, kindOfPath, type DocumentKind } from '../../common/src';

/**
 * The kind of an open document: by file name first (docs/formats.md, section Recognition, recognises
 * files by name only), then by the language id the editor chose, so that an
 * untitled buffer set to "MLOps Pipeline" is validated too.
 */
export function kindOf(doc: TextDocument): DocumentKind | undefined {
  return kindOfPath(doc.uri) ?? kindOfLanguageId(doc.languageId);
}

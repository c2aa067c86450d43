import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  kindInfo,
  parseMlopsDocument,
  validateDocument,
  type DocumentKind,
  type MlopsDiagnostic,
  type ParsedDocument,
  type ValidationContext,
} from '../../common/src';

export function parse(text: string, kind: DocumentKind = 'pipeline'): ParsedDocument {
  const uri = `file:///test/doc.${kind}.yaml`;
  return parseMlopsDocument(TextDocument.create(uri, kindInfo(kind).languageId, 1, text), kind);
}

export function diagnose(text: string, kind: DocumentKind = 'pipeline', context: ValidationContext = {}): MlopsDiagnostic[] {
  return validateDocument(parse(text, kind), {
    context,
    onRuleError: (rule, error) => {
      throw new Error(`rule ${rule} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    },
  });
}

import { parseDocument, type Document } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentKind } from '../kinds';

/**
 * One document of ours, parsed once per version. The YAML AST keeps source
 * offsets on every node (`node.range`); `text` turns offsets into positions
 * only when a reply needs them.
 */
export interface ParsedDocument {
  readonly uri: string;
  readonly kind: DocumentKind;
  readonly version: number;
  readonly text: TextDocument;
  readonly yaml: Document.Parsed;
}

/**
 * Parses without the yaml package's own duplicate-key check: the
 * `duplicate-key` rule reports those with better ranges and messages.
 */
export function parseMlopsDocument(text: TextDocument, kind: DocumentKind): ParsedDocument {
  const yaml = parseDocument(text.getText(), {
    prettyErrors: false,
    uniqueKeys: false,
    keepSourceTokens: false,
  });
  return { uri: text.uri, kind, version: text.version, text, yaml };
}

/**
 * Keeps the latest parse per URI so that every feature asking for the same
 * version shares one parse.
 */
export class ParseCache {
  private readonly entries = new Map<string, ParsedDocument>();

  get(text: TextDocument, kind: DocumentKind): ParsedDocument {
    const cached = this.entries.get(text.uri);
    if (cached && cached.version === text.version && cached.kind === kind && cached.text === text) return cached;
    const parsed = parseMlopsDocument(text, kind);
    this.entries.set(text.uri, parsed);
    return parsed;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}

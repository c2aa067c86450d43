import { parseDocument, type Document } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentKind } from '../kinds';
import { YAML_OPTIONS } from './chunks';
import { parseInPieces } from './piecewise';
import { spliceYaml } from './splice';

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

export function parseMlopsDocument(text: TextDocument, kind: DocumentKind): ParsedDocument {
  const yaml = parseYaml(text.getText());
  return { uri: text.uri, kind, version: text.version, text, yaml };
}

/** The AST of a whole text: read by entries where it can be (./piecewise.ts), else parsed in one go. */
function parseYaml(source: string): Document.Parsed {
  return parseInPieces(source) ?? parseDocument(source, YAML_OPTIONS);
}

/**
 * Keeps the latest parse per URI so that every feature asking for the same
 * version shares one parse. A new version is spliced into the previous AST
 * when the edit stays inside one entry (./splice.ts), else parsed whole.
 *
 * A splice mutates the previous version's AST, which the new ParsedDocument
 * then shares. That is safe because only the latest version per URI is kept
 * and the server's TextDocuments update the text object in place as well: an
 * older ParsedDocument is stale the moment a newer one exists.
 */
export class ParseCache {
  private readonly entries = new Map<string, { parsed: ParsedDocument; source: string }>();

  get(text: TextDocument, kind: DocumentKind): ParsedDocument {
    const cached = this.entries.get(text.uri);
    if (cached && cached.parsed.version === text.version && cached.parsed.kind === kind && cached.parsed.text === text)
      return cached.parsed;
    const source = text.getText();
    const yaml = (cached && cached.parsed.kind === kind && ParseCache.splice(cached, source)) || parseYaml(source);
    const parsed: ParsedDocument = { uri: text.uri, kind, version: text.version, text, yaml };
    this.entries.set(text.uri, { parsed, source });
    return parsed;
  }

  private static splice(cached: { parsed: ParsedDocument; source: string }, source: string): Document.Parsed | undefined {
    try {
      return spliceYaml({ source: cached.source, yaml: cached.parsed.yaml }, source);
    } catch {
      // A bug in the splice may have left the previous AST half moved; the full parse does not read it.
      return undefined;
    }
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}

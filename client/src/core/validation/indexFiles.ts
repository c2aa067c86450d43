import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kindInfo, kindOfPath, parseMlopsDocument, summarize, WorkspaceIndex, type ParsedDocument } from '../../../../common/src';

/** The files being validated, parsed once, and the index their references resolve through. */
export interface IndexedFiles {
  readonly index: WorkspaceIndex;
  readonly docs: ReadonlyMap<string, ParsedDocument>;
}

/**
 * Parses every file and indexes them together, so that `mlops validate` on
 * a folder resolves entities, sources, views and pipelines across its files
 * as the editor does across the workspace.
 */
export async function indexFiles(files: readonly string[]): Promise<IndexedFiles> {
  const index = new WorkspaceIndex();
  const docs = new Map<string, ParsedDocument>();
  for (const file of files) {
    const kind = kindOfPath(file);
    if (!kind) continue;
    const source = await readFile(file, 'utf8');
    const doc = parseMlopsDocument(TextDocument.create(pathToFileURL(file).toString(), kindInfo(kind).languageId, 1, source), kind);
    docs.set(file, doc);
    index.set(summarize(doc));
  }
  return { index, docs };
}

import { readdirSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver';
import { IGNORED_FOLDERS, type ParsedDocument } from '../../../common/src';
import type { Typed } from '../../../common/src/yaml/cursor';
import { rangeIn } from './workspaceEnv';

/** More entries than this in one folder are narrowed by what is typed, and the list is marked incomplete. */
export const MAX_PATH_ENTRIES = 500;

export interface PathItems {
  readonly items: CompletionItem[];
  readonly incomplete: boolean;
}

const NO_PATHS: PathItems = { items: [], incomplete: false };
const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/**
 * The entries of the folder typed so far, relative to the step's `workdir`
 * (default: the pipeline file's folder). Only the last path segment is
 * replaced; a folder ends with `/` and asks the editor to suggest again.
 */
export function pathItems(doc: ParsedDocument, context: Typed, workdir: string | undefined): PathItems {
  if (!doc.uri.startsWith('file:')) return NO_PATHS;
  const typed = context.prefix;
  const slash = typed.lastIndexOf('/');
  const folderPart = typed.slice(0, slash + 1);
  const partial = typed.slice(slash + 1);
  if (/[*?[\]{}$~\\]/.test(folderPart) || folderPart.startsWith('/')) return NO_PATHS;
  if (workdir !== undefined && /[*?[\]{}$]/.test(workdir)) return NO_PATHS;

  let entries: Dirent[];
  let folder: string;
  try {
    folder = path.resolve(path.dirname(fileURLToPath(doc.uri)), workdir ?? '.', folderPart || '.');
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return NO_PATHS;
  }
  entries = entries.filter((e) => !IGNORED_FOLDERS.has(e.name));
  let incomplete = false;
  if (entries.length > MAX_PATH_ENTRIES) {
    const lower = partial.toLowerCase();
    entries = entries.filter((e) => e.name.toLowerCase().startsWith(lower));
    incomplete = true;
    if (entries.length > MAX_PATH_ENTRIES) entries = entries.slice(0, MAX_PATH_ENTRIES);
  }

  // Replace the segment at the cursor: from the last `/` before it to the next `/` after it.
  const text = doc.text.getText();
  const start = context.range.start + slash + 1;
  const cursor = context.range.start + typed.length;
  const next = text.slice(cursor, context.range.end).indexOf('/');
  const range = rangeIn(doc.text, { start, end: next < 0 ? context.range.end : cursor + next });
  const folderOf = (entry: Dirent): boolean => {
    if (entry.isDirectory()) return true;
    if (!entry.isSymbolicLink()) return false;
    try {
      return statSync(path.join(folder, entry.name)).isDirectory();
    } catch {
      return false;
    }
  };
  const listed = entries.map((entry) => ({ entry, isFolder: folderOf(entry) }));
  listed.sort(
    (a, b) => Number(b.isFolder) - Number(a.isFolder) || (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0),
  );
  const items = listed.map(({ entry, isFolder }): CompletionItem => {
    const name = isFolder ? `${entry.name}/` : entry.name;
    return {
      label: name,
      kind: isFolder ? CompletionItemKind.Folder : CompletionItemKind.File,
      sortText: `${isFolder ? 0 : 1}${entry.name}`,
      textEdit: { range, newText: name },
      ...(isFolder ? { command: TRIGGER_SUGGEST } : {}),
    };
  });
  return { items, incomplete };
}

/** `pathItems` relative to the document's own folder, as a completion list (features and monitor files). */
export function pathList(doc: ParsedDocument, typed: Typed): CompletionList {
  const found = pathItems(doc, typed, undefined);
  return { items: found.items, isIncomplete: found.incomplete };
}

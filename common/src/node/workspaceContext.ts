import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import { IGNORED_FOLDERS } from '../kinds';
import type { ValidationContext } from '../validation/context';
import type { DataColumns, WorkspaceView } from '../workspace/types';
import { readDataColumns } from './dataColumns';
import { nodeValidationContext } from './fileContext';

/** How long a glob's matches and a data file's columns are reused: the server validates after each keystroke. */
const GLOB_TTL_MS = 2000;

const folders = new Map<string, string | undefined>();

/** The folder of a document; remembered, since every view of a file asks. */
function folderOf(documentUri: string): string | undefined {
  let folder = folders.get(documentUri);
  if (folder === undefined && !folders.has(documentUri)) {
    folder = documentUri.startsWith('file:') ? path.dirname(fileURLToPath(documentUri)) : undefined;
    if (folders.size > 50_000) folders.clear();
    folders.set(documentUri, folder);
  }
  return folder;
}

/**
 * The validation context of the server and the CLI: files and data columns
 * on disk, globs, and the workspace index for references across files.
 */
/** A validation context whose answers about the disk can be dropped when files change. */
export interface NodeWorkspaceContext extends ValidationContext {
  /** Forget which files exist and what globs match (data files came or went). */
  forget(): void;
}

export function nodeWorkspaceContext(workspace?: WorkspaceView, now: () => number = Date.now): NodeWorkspaceContext {
  let files = nodeValidationContext(now);
  let globs = new Map<string, { at: number; matches: readonly string[] }>();
  let columns = new Map<string, { at: number; data: DataColumns | undefined }>();
  return {
    fileExists: (documentUri, relativePath) => files.fileExists?.(documentUri, relativePath),
    ...(workspace ? { workspace } : {}),
    dataColumns(documentUri, relativePath) {
      const folder = folderOf(documentUri);
      if (folder === undefined) return undefined;
      // Thousands of views read a few files: their columns are reused for a moment without asking the disk.
      const file = path.resolve(folder, relativePath);
      const cached = columns.get(file);
      if (cached && now() - cached.at < GLOB_TTL_MS) return cached.data;
      const data = readDataColumns(file);
      if (columns.size > 10_000) columns = new Map();
      columns.set(file, { at: now(), data });
      return data;
    },
    glob(documentUri, pattern) {
      const folder = folderOf(documentUri);
      if (folder === undefined) return undefined;
      const key = `${folder}\0${pattern}`;
      const cached = globs.get(key);
      if (cached && now() - cached.at < GLOB_TTL_MS) return cached.matches;
      let matches: string[];
      try {
        matches = globSync(pattern, { cwd: folder, onlyFiles: true, ignore: [...IGNORED_FOLDERS].map((f) => `**/${f}/**`) }).sort();
      } catch {
        matches = [];
      }
      if (globs.size > 1000) globs = new Map();
      globs.set(key, { at: now(), matches });
      return matches;
    },
    forget() {
      globs = new Map();
      columns = new Map();
      files = nodeValidationContext(now);
    },
  };
}

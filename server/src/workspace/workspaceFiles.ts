import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  IGNORED_FOLDERS,
  kindInfo,
  kindOfPath,
  parseMlopsDocument,
  summarize,
  WorkspaceIndex,
  type DocumentKind,
  type MlopsDiagnostic,
} from '../../../common/src';
import { parseRootEntries } from '../../../common/src/document/piecewise';
import { quickParse } from '../../../common/src/document/quickYaml';
import { localDiagnostics } from '../../../common/src/validation/validate';

/** Files read at once while indexing. */
const READ_BATCH = 64;

/**
 * The workspace's pipeline, features and monitor files as they are on disk,
 * for those that are not open: each is parsed once, summarised into the
 * index, and (features and monitor files) checked by itself; the AST is
 * dropped. Open documents are kept in the index by the server instead.
 */
export class WorkspaceFiles {
  readonly index = new WorkspaceIndex();
  /** Problems of each closed features or monitor file by itself (see validation/validate.ts localDiagnostics). */
  private readonly local = new Map<string, MlopsDiagnostic[]>();
  private folders: string[] = [];

  constructor(private readonly onRuleError: (rule: string, uri: string, error: unknown) => void) {}

  setFolders(folders: readonly string[]): void {
    this.folders = folders.map((f) => path.resolve(f));
  }

  get roots(): readonly string[] {
    return this.folders;
  }

  /** Whether a file lies in a workspace folder, outside the folders never indexed. */
  contains(file: string): boolean {
    return this.folders.some((folder) => {
      const relative = path.relative(folder, file);
      return (
        relative !== '' &&
        !relative.startsWith('..') &&
        !path.isAbsolute(relative) &&
        !relative.split(path.sep).some((part) => IGNORED_FOLDERS.has(part))
      );
    });
  }

  /** Every file of ours under the folders. */
  async list(folders: readonly string[] = this.folders): Promise<string[]> {
    const found: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      const below: Promise<void>[] = [];
      for (const entry of entries) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) {
          if (!IGNORED_FOLDERS.has(entry.name)) below.push(walk(full));
        } else if (entry.isFile() && kindOfPath(entry.name)) found.push(full);
      }
      await Promise.all(below);
    };
    await Promise.all(folders.map(walk));
    return found.sort();
  }

  /** Reads and indexes the files, skipping `skip` (open documents); returns the URIs indexed. */
  async load(files: readonly string[], skip: (uri: string) => boolean): Promise<string[]> {
    const loaded: string[] = [];
    for (let i = 0; i < files.length; i += READ_BATCH) {
      const batch = files.slice(i, i + READ_BATCH);
      const texts = await Promise.all(batch.map((f) => readFile(f, 'utf8').catch(() => undefined)));
      batch.forEach((file, j) => {
        const text = texts[j];
        const uri = pathToFileURL(file).toString();
        if (text === undefined || skip(uri)) return;
        this.setText(uri, kindOfPath(file)!, text);
        loaded.push(uri);
      });
    }
    return loaded;
  }

  /** Indexes a closed file's text; returns the other files to validate again. */
  setText(uri: string, kind: DocumentKind, source: string): Set<string> {
    const text = TextDocument.create(uri, kindInfo(kind).languageId, 0, source);
    // Most features and monitor files are plain block YAML, read ten times faster without the full parser;
    // of a pipeline the index needs the name, description and params, not the steps.
    const quick = kind === 'pipeline' ? parseRootEntries(source, (key) => key !== 'steps') : quickParse(source);
    const doc = quick ? { uri, kind, version: 0, text, yaml: quick } : parseMlopsDocument(text, kind);
    // Checked now, so that the AST dies young: keeping hundreds of them for later costs more in garbage collection.
    if (kind !== 'pipeline')
      this.local.set(uri, localDiagnostics(doc, { onRuleError: (rule, error) => this.onRuleError(rule, uri, error) }));
    return this.index.set(summarize(doc));
  }

  /** Reads a closed file from disk again; undefined when it is gone. */
  async reload(file: string): Promise<Set<string> | undefined> {
    const kind = kindOfPath(file);
    if (!kind) return undefined;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : this.setText(pathToFileURL(file).toString(), kind, text);
  }

  /** A document opened: the server keeps its entry from now on. */
  opened(uri: string): void {
    this.local.delete(uri);
  }

  delete(uri: string): Set<string> {
    this.local.delete(uri);
    return this.index.delete(uri);
  }

  /** A closed features or monitor file's problems by itself. */
  localOf(uri: string): readonly MlopsDiagnostic[] | undefined {
    return this.local.get(uri);
  }
}

import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  FileChangeType,
  type Connection,
  type FileEvent,
  type TextDocuments,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { kindOfPath, summarize, type FileSummary, type ParsedDocument } from '../../../common/src';
import { errorStack } from '../../../common/src/errors';
import type { NodeWorkspaceContext } from '../../../common/src/node/workspaceContext';
import { finishDiagnostics, workspaceDiagnostics } from '../../../common/src/validation/validate';
import { toLspDiagnostic } from '../services/diagnostics';
import type { ValidationService } from '../services/validation';
import type { WorkspaceFiles } from './workspaceFiles';

/** The path of a `file:` URI, or undefined. */
export function fsPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the workspace index in step with the editor and the disk, and
 * publishes what a change touches: the document itself and the files that
 * depend on what it defines. Open documents are summarised as the editor has
 * them; closed files of the workspace folders as the disk has them.
 */
export class WorkspaceSync {
  private ready: Promise<void> = Promise.resolve();
  private busy = false;
  /** The version of each open document whose summary is in the index. */
  private readonly indexedVersion = new Map<string, number>();
  /** Other files to validate again after a change (see WorkspaceIndex.set). */
  private readonly pending = new Set<string>();
  /** Closed files the editor shows problems for (an empty list is sent only to those). */
  private readonly publishedClosed = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly parsed: (uri: string) => ParsedDocument | undefined,
    private readonly files: WorkspaceFiles,
    private readonly context: NodeWorkspaceContext,
    private readonly validation: ValidationService,
    private readonly logRuleError: (rule: string, uri: string, error: unknown) => void,
  ) {}

  /** True while folders are being read: features and monitor work waits for `whenIndexed`. */
  get indexing(): boolean {
    return this.busy;
  }

  whenIndexed(): Promise<void> {
    return this.ready;
  }

  /** Puts the open document's current version into the index; its dependents are validated with the next publication. */
  syncOpen(uri: string): void {
    const doc = this.parsed(uri);
    if (!doc || this.indexedVersion.get(uri) === doc.version) return;
    this.indexedVersion.set(uri, doc.version);
    this.files.opened(uri);
    try {
      for (const dependent of this.files.index.set(summarize(doc))) this.pending.add(dependent);
    } catch (error) {
      this.connection.console.error(`indexing ${uri} failed: ${errorStack(error)}`);
    }
  }

  /** The index entry of a file, current for an open document. */
  summaryOf(uri: string): FileSummary | undefined {
    if (this.documents.get(uri)) this.syncOpen(uri);
    return this.files.index.file(uri);
  }

  /** The scheduler's callback: validates an open document and the files its change touched. */
  validateOpen(uri: string): void {
    const doc = this.parsed(uri);
    if (!doc) return;
    // Until the workspace is indexed, references to other files cannot be resolved: the index's end publishes it.
    if (doc.kind !== 'pipeline' && this.busy) return;
    this.syncOpen(uri);
    this.publish(uri);
    this.publishPending();
  }

  /** Reads the folders' files into the index, then publishes every features and monitor file's problems. */
  indexFolders(folders: readonly string[]): Promise<void> {
    const run = async () => {
      this.busy = true;
      const started = performance.now();
      const cpu = process.cpuUsage();
      const cpuMs = () => {
        const used = process.cpuUsage(cpu);
        return Math.round((used.user + used.system) / 1000);
      };
      try {
        const list = await this.files.list(folders);
        const loaded = await this.files.load(list, (uri) => this.documents.get(uri) !== undefined);
        this.connection.console.info(
          `workspace index: ${loaded.length} files in ${Math.round(performance.now() - started)} ms (cpu ${cpuMs()} ms)`,
        );
        this.busy = false;
        for (const uri of loaded) this.publish(uri);
        for (const doc of this.documents.all()) this.validateOpen(doc.uri);
        this.pending.clear();
        this.connection.console.info(
          `workspace diagnostics: ${loaded.length} files in ${Math.round(performance.now() - started)} ms (cpu ${cpuMs()} ms)`,
        );
      } catch (error) {
        this.connection.console.error(`indexing the workspace failed: ${errorStack(error)}`);
      } finally {
        this.busy = false;
      }
    };
    this.ready = this.ready.then(run, run);
    return this.ready;
  }

  foldersChanged(e: WorkspaceFoldersChangeEvent): void {
    const paths = (list: readonly { uri: string }[]) => list.map((f) => fsPath(f.uri)).filter((f): f is string => f !== undefined);
    const removed = paths(e.removed);
    const added = paths(e.added);
    this.files.setFolders([...this.files.roots.filter((r) => !removed.includes(r)), ...added]);
    for (const uri of [...this.files.index.uris()]) {
      const file = fsPath(uri);
      if (file === undefined || this.documents.get(uri) || this.files.contains(file)) continue;
      this.forget(uri);
    }
    this.publishPending();
    if (added.length > 0) void this.indexFolders(added);
  }

  /** `workspace/didChangeWatchedFiles`: our files on disk, and the data files they read. */
  async watchedFilesChanged(changes: readonly FileEvent[]): Promise<void> {
    await this.ready;
    let data = false;
    for (const change of changes) {
      const file = fsPath(change.uri);
      if (file === undefined) continue;
      if (kindOfPath(file)) {
        // An open document is what the editor shows: its text wins over the disk's.
        if (this.documents.get(change.uri) || !this.files.contains(file)) continue;
        if (change.type === FileChangeType.Deleted) this.forget(change.uri);
        else await this.reload(change.uri, file);
      } else if (/\.(csv|parquet)$/i.test(file)) {
        data = true;
        for (const dependent of this.files.index.dataDependents(file)) this.pending.add(dependent);
      }
    }
    if (data) this.context.forget();
    this.publishPending();
  }

  /** A document closed: outside the workspace folders it is forgotten; inside, it goes on as the disk has it. */
  closed(uri: string): void {
    this.indexedVersion.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    const file = fsPath(uri);
    if (file === undefined || !kindOfPath(file) || !this.files.contains(file)) {
      for (const dependent of this.files.delete(uri)) this.pending.add(dependent);
      this.publishPending();
      return;
    }
    void this.ready.then(async () => {
      if (this.documents.get(uri)) return;
      await this.reload(uri, file);
      this.publishPending();
    });
  }

  private async reload(uri: string, file: string): Promise<void> {
    const dependents = await this.files.reload(file);
    if (this.documents.get(uri)) return;
    if (!dependents) return this.forget(uri);
    for (const dependent of dependents) this.pending.add(dependent);
    this.pending.add(uri);
  }

  private forget(uri: string): void {
    for (const dependent of this.files.delete(uri)) this.pending.add(dependent);
    if (this.publishedClosed.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Validates the files a change touched, once each. */
  private publishPending(): void {
    for (const uri of [...this.pending]) {
      this.pending.delete(uri);
      this.publish(uri);
    }
  }

  /** Validates and publishes one file: an open one as the editor has it, a closed one of the workspace as on disk. */
  private publish(uri: string): void {
    const doc = this.parsed(uri);
    if (doc) {
      if (doc.kind !== 'pipeline') this.syncOpen(uri);
      const diagnostics =
        doc.kind === 'pipeline' ? this.validation.validate(doc) : this.validation.validate(doc, this.files.index.file(uri));
      void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnostics.map((d) => toLspDiagnostic(doc, d)) });
      return;
    }
    const summary = this.files.index.file(uri);
    const local = this.files.localOf(uri);
    if (!summary || !local) return;
    const cross = workspaceDiagnostics(summary, {
      context: this.context,
      onRuleError: (rule, error) => this.logRuleError(rule, uri, error),
    });
    const diagnostics = finishDiagnostics(summary.text, [...local, ...cross]);
    if (diagnostics.length === 0 && !this.publishedClosed.has(uri)) return;
    if (diagnostics.length > 0) this.publishedClosed.add(uri);
    else this.publishedClosed.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: diagnostics.map((d) => toLspDiagnostic({ uri, text: summary.text }, d)) });
  }
}

import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Location,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ParseCache, type DocumentKind, type ParsedDocument } from '../../common/src';
import { errorStack } from '../../common/src/errors';
import { nodeWorkspaceContext } from '../../common/src/node/workspaceContext';
import {
  RegisteredModelsNotification,
  ValidationSettingsNotification,
  type MlopsInitializationOptions,
} from '../../common/src/protocol/lspMessages';
import { Settings } from '../../common/src/settings';
import { buildVersion } from '../../common/src/version';
import { kindOf } from './documents';
import { codeActions } from './services/codeActions';
import { codeLenses } from './services/pipeline/codeLens';
import { completion } from './services/pipeline/completion';
import { definition, prepareRename, references, rename } from './services/pipeline/navigation';
import { foldingRanges } from './services/folding';
import { hover } from './services/pipeline/hover';
import { documentSymbols } from './services/pipeline/symbols';
import { ValidationScheduler } from './services/validationScheduler';
import { ValidationService } from './services/validation';
import { featuresCompletion } from './services/features/completion';
import { featuresHover } from './services/features/hover';
import { featuresOutline } from './services/features/outline';
import { featuresDefinition, featuresPrepareRename, featuresReferences, featuresRename } from './services/features/navigation';
import { monitorCodeLenses } from './services/monitor/codeLens';
import { featuresCodeLenses } from './services/features/codeLens';
import { monitorCompletion } from './services/monitor/completion';
import { monitorHover } from './services/monitor/hover';
import { monitorDefinition } from './services/monitor/navigation';
import type { WorkspaceEnv } from './services/workspaceEnv';
import { WorkspaceFiles } from './workspace/workspaceFiles';
import { fsPath, WorkspaceSync } from './workspace/workspaceSync';

// createConnection reads --stdio / --node-ipc / --socket from argv.
const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const parses = new ParseCache();
const logRuleError = (rule: string, uri: string, error: unknown) =>
  connection.console.error(`rule ${rule} failed on ${uri}: ${errorStack(error)}`);
const files = new WorkspaceFiles(logRuleError);
const context = nodeWorkspaceContext(files.index);
const validation = new ValidationService(logRuleError, context);
const sync = new WorkspaceSync(connection, documents, parsed, files, context, validation, logRuleError);
const validateOpen = (uri: string) => sync.validateOpen(uri);
let scheduler = new ValidationScheduler(Settings.validationDelayMs.default, validateOpen);
let registeredModels: readonly string[] = [];
let dynamicWatchers = false;
let folderEvents = false;

const env: WorkspaceEnv = {
  workspace: files.index,
  context,
  summary: (uri) => sync.summaryOf(uri),
  get registeredModels() {
    return registeredModels;
  },
};

function parsed(uri: string): ParsedDocument | undefined {
  const text = documents.get(uri);
  const kind = text && kindOf(text);
  return text && kind ? parses.get(text, kind) : undefined;
}

/**
 * Runs one feature on a document of the given kinds. A feature that throws
 * is our bug: it is logged and the editor gets an empty answer, never an
 * error popup for a half-typed file.
 */
function feature<R>(name: string, uri: string, kinds: readonly DocumentKind[], run: (doc: ParsedDocument) => R): R | null {
  const doc = parsed(uri);
  if (!doc || !kinds.includes(doc.kind)) return null;
  try {
    return run(doc);
  } catch (error) {
    connection.console.error(`${name} failed on ${uri}: ${errorStack(error)}`);
    return null;
  }
}

type ByKind<R> = Partial<Record<DocumentKind, (doc: ParsedDocument) => R>>;

/** Runs the feature for the document's kind; features and monitor files wait for the workspace index and bring their own entry up to date. */
function byKind<R>(name: string, uri: string, handlers: ByKind<R>): R | null | Promise<R | null> {
  const text = documents.get(uri);
  const kind = text && kindOf(text);
  const handler = kind && handlers[kind];
  if (!kind || !handler) return null;
  const run = () =>
    feature(name, uri, [kind], (doc) => {
      if (kind !== 'pipeline') sync.syncOpen(uri);
      return handler(doc);
    });
  return kind === 'pipeline' || !sync.indexing ? run() : sync.whenIndexed().then(run);
}

connection.onInitialize((params) => {
  const options = (params.initializationOptions ?? {}) as MlopsInitializationOptions;
  context.warnMissingImage = options.warnMissingImage === true;
  if (typeof options.validationDelayMs === 'number' && options.validationDelayMs >= 0) {
    scheduler.dispose();
    scheduler = new ValidationScheduler(options.validationDelayMs, validateOpen);
  }
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
  files.setFolders(folders.map((f) => fsPath(f.uri)).filter((f): f is string => f !== undefined));
  dynamicWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  folderEvents = params.capabilities.workspace?.workspaceFolders === true;
  return {
    capabilities: {
      ...(folderEvents ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ['.', ' ', '[', ',', '/', ':', '{'], resolveProvider: false },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'mlops-language-server', version: buildVersion() },
  };
});

connection.onInitialized(() => {
  if (dynamicWatchers) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{pipeline,features,monitor}.{yaml,yml}' }, { globPattern: '**/*.{csv,parquet}' }],
    });
  }
  if (folderEvents) connection.workspace.onDidChangeWorkspaceFolders((e) => sync.foldersChanged(e));
  if (files.roots.length > 0) void sync.indexFolders(files.roots);
});

connection.onDidChangeWatchedFiles(({ changes }) => sync.watchedFilesChanged(changes));

const completionEnv = (p: { context?: { triggerCharacter?: string } }) => ({
  registeredModels,
  ...(p.context?.triggerCharacter ? { triggerCharacter: p.context.triggerCharacter } : {}),
});
connection.onCompletion((p) =>
  byKind('completion', p.textDocument.uri, {
    pipeline: (doc) => completion(doc, p.position, completionEnv(p)),
    features: (doc) => featuresCompletion(doc, p.position, env, p.context?.triggerCharacter),
    monitor: (doc) => monitorCompletion(doc, p.position, env, p.context?.triggerCharacter),
  }),
);
connection.onHover((p) =>
  byKind('hover', p.textDocument.uri, {
    pipeline: (doc) => hover(doc, p.position),
    features: (doc) => featuresHover(doc, p.position, env),
    monitor: (doc) => monitorHover(doc, p.position, env),
  }),
);
connection.onDefinition((p) =>
  byKind<Location | Location[] | null>('definition', p.textDocument.uri, {
    pipeline: (doc) => definition(doc, p.position),
    features: (doc) => featuresDefinition(doc, p.position, env),
    monitor: (doc) => monitorDefinition(doc, p.position, env),
  }),
);
connection.onReferences((p) =>
  byKind('references', p.textDocument.uri, {
    pipeline: (doc) => references(doc, p.position, p.context.includeDeclaration),
    features: (doc) => featuresReferences(doc, p.position, env, p.context.includeDeclaration),
  }),
);
connection.onPrepareRename((p) =>
  byKind('prepareRename', p.textDocument.uri, {
    pipeline: (doc) => prepareRename(doc, p.position),
    features: (doc) => featuresPrepareRename(doc, p.position, env),
  }),
);
connection.onRenameRequest(async (p) => {
  const result = await byKind('rename', p.textDocument.uri, {
    pipeline: (doc) => rename(doc, p.position, p.newName, env.workspace),
    features: (doc) => featuresRename(doc, p.position, p.newName, env),
  });
  // A refused rename (bad new name) is answered with a message the editor shows.
  if (result instanceof ResponseError) throw result;
  return result;
});
connection.onDocumentSymbol((p) =>
  feature('documentSymbol', p.textDocument.uri, ['pipeline', 'features'], (doc) =>
    doc.kind === 'features' ? featuresOutline(doc) : documentSymbols(doc),
  ),
);
connection.onFoldingRanges((p) =>
  feature('foldingRange', p.textDocument.uri, ['pipeline', 'features', 'monitor'], (doc) => foldingRanges(doc)),
);
connection.onCodeLens((p) =>
  byKind('codeLens', p.textDocument.uri, {
    pipeline: (doc) => codeLenses(doc),
    features: (doc) => featuresCodeLenses(doc),
    monitor: (doc) => monitorCodeLenses(doc),
  }),
);
connection.onCodeAction((p) =>
  byKind('codeAction', p.textDocument.uri, {
    pipeline: (doc) => codeActions(doc, validation.validate(doc), p.range),
    features: (doc) => codeActions(doc, validation.validate(doc, files.index.file(doc.uri)), p.range),
    monitor: (doc) => codeActions(doc, validation.validate(doc, files.index.file(doc.uri)), p.range),
  }),
);
connection.onNotification(ValidationSettingsNotification, (p) => {
  context.warnMissingImage = p?.warnMissingImage === true;
  // Results are kept per document version; a setting changes them without a new version.
  validation.forgetAll();
  for (const doc of documents.all()) if (kindOf(doc)) scheduler.schedule(doc.uri);
});
connection.onNotification(RegisteredModelsNotification, (p) => {
  registeredModels = Array.isArray(p?.names) ? p.names.filter((n): n is string => typeof n === 'string') : [];
});

// Fires on open as well as on every change.
documents.onDidChangeContent((e) => {
  if (kindOf(e.document)) scheduler.schedule(e.document.uri);
});
documents.onDidClose((e) => {
  const uri = e.document.uri;
  scheduler.cancel(uri);
  parses.delete(uri);
  validation.forget(uri);
  sync.closed(uri);
});
connection.onShutdown(() => scheduler.dispose());

process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));

documents.listen(connection);
connection.listen();

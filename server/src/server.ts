import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ParseCache, type DocumentKind, type ParsedDocument } from '../../common/src';
import { RegisteredModelsNotification } from '../../common/src/protocol/lspMessages';
import { kindOf } from './documents';
import { codeActions } from './services/codeActions';
import { codeLenses } from './services/codeLens';
import { completion } from './services/completion';
import { toLspDiagnostic } from './services/diagnostics';
import { definition, prepareRename, references, rename } from './services/navigation';
import { foldingRanges } from './services/folding';
import { hover } from './services/hover';
import { documentSymbols } from './services/symbols';
import { ValidationScheduler } from './services/validationScheduler';
import { ValidationService } from './services/validation';

/** Options the client may send in `initializationOptions`. */
interface InitOptions {
  validationDelayMs?: number;
}

const DEFAULT_VALIDATION_DELAY_MS = 150;

// createConnection reads --stdio / --node-ipc / --socket from argv.
const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const parses = new ParseCache();
const validation = new ValidationService((rule, uri, error) =>
  connection.console.error(`rule ${rule} failed on ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
);
let scheduler = new ValidationScheduler(DEFAULT_VALIDATION_DELAY_MS, publishDiagnostics);
let registeredModels: readonly string[] = [];

function parsed(uri: string): ParsedDocument | undefined {
  const text = documents.get(uri);
  const kind = text && kindOf(text);
  return text && kind ? parses.get(text, kind) : undefined;
}

function publishDiagnostics(uri: string): void {
  const doc = parsed(uri);
  if (!doc) return;
  const diagnostics = validation.validate(doc);
  void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnostics.map((d) => toLspDiagnostic(doc, d)) });
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
    connection.console.error(`${name} failed on ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return null;
  }
}

const PIPELINE: readonly DocumentKind[] = ['pipeline'];

connection.onInitialize((params) => {
  const options = (params.initializationOptions ?? {}) as InitOptions;
  if (typeof options.validationDelayMs === 'number' && options.validationDelayMs >= 0) {
    scheduler.dispose();
    scheduler = new ValidationScheduler(options.validationDelayMs, publishDiagnostics);
  }
  return {
    capabilities: {
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
    serverInfo: { name: 'mlops-language-server', version: '0.1.0' },
  };
});

connection.onCompletion((p) => feature('completion', p.textDocument.uri, PIPELINE, (doc) => completion(doc, p.position, { registeredModels, ...(p.context?.triggerCharacter ? { triggerCharacter: p.context.triggerCharacter } : {}) })));
connection.onHover((p) => feature('hover', p.textDocument.uri, PIPELINE, (doc) => hover(doc, p.position)));
connection.onDefinition((p) => feature('definition', p.textDocument.uri, PIPELINE, (doc) => definition(doc, p.position)));
connection.onReferences((p) => feature('references', p.textDocument.uri, PIPELINE, (doc) => references(doc, p.position, p.context.includeDeclaration)));
connection.onPrepareRename((p) => feature('prepareRename', p.textDocument.uri, PIPELINE, (doc) => prepareRename(doc, p.position)));
connection.onRenameRequest((p) => {
  const result = feature('rename', p.textDocument.uri, PIPELINE, (doc) => rename(doc, p.position, p.newName));
  // A refused rename (bad new name) is answered with a message the editor shows.
  if (result instanceof ResponseError) throw result;
  return result;
});
connection.onDocumentSymbol((p) => feature('documentSymbol', p.textDocument.uri, PIPELINE, (doc) => documentSymbols(doc)));
connection.onFoldingRanges((p) => feature('foldingRange', p.textDocument.uri, ['pipeline', 'features', 'monitor'], (doc) => foldingRanges(doc)));
connection.onCodeLens((p) => feature('codeLens', p.textDocument.uri, PIPELINE, (doc) => codeLenses(doc)));
connection.onCodeAction((p) => feature('codeAction', p.textDocument.uri, PIPELINE, (doc) => codeActions(doc, validation.validate(doc), p.range)));
connection.onNotification(RegisteredModelsNotification, (p) => {
  registeredModels = Array.isArray(p?.names) ? p.names.filter((n): n is string => typeof n === 'string') : [];
});

// Fires on open as well as on every change.
documents.onDidChangeContent((e) => {
  if (kindOf(e.document)) scheduler.schedule(e.document.uri);
});
documents.onDidClose((e) => {
  scheduler.cancel(e.document.uri);
  parses.delete(e.document.uri);
  validation.forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
connection.onShutdown(() => scheduler.dispose());

process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));

documents.listen(connection);
connection.listen();

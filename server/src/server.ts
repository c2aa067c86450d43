import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ParseCache, validateDocument } from '../../common/src';
import { kindOf } from './documents';
import { toLspDiagnostic } from './services/diagnostics';
import { ValidationScheduler } from './services/validationScheduler';

/** Options the client may send in `initializationOptions`. */
interface InitOptions {
  validationDelayMs?: number;
}

const DEFAULT_VALIDATION_DELAY_MS = 150;

// createConnection reads --stdio / --node-ipc / --socket from argv.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const parses = new ParseCache();
let scheduler = new ValidationScheduler(DEFAULT_VALIDATION_DELAY_MS, validate);

function validate(uri: string): void {
  const text = documents.get(uri);
  if (!text) return;
  const kind = kindOf(text);
  if (!kind) return;
  const doc = parses.get(text, kind);
  const diagnostics = validateDocument(doc, (rule, error) =>
    connection.console.error(`rule ${rule} failed on ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnostics.map((d) => toLspDiagnostic(doc, d)) });
}

connection.onInitialize((params) => {
  const options = (params.initializationOptions ?? {}) as InitOptions;
  if (typeof options.validationDelayMs === 'number' && options.validationDelayMs >= 0) {
    scheduler.dispose();
    scheduler = new ValidationScheduler(options.validationDelayMs, validate);
  }
  return {
    capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
    serverInfo: { name: 'mlops-language-server', version: '0.1.0' },
  };
});

// Fires on open as well as on every change.
documents.onDidChangeContent((e) => {
  if (kindOf(e.document)) scheduler.schedule(e.document.uri);
});
documents.onDidClose((e) => {
  scheduler.cancel(e.document.uri);
  parses.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
connection.onShutdown(() => scheduler.dispose());

process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));

documents.listen(connection);
connection.listen();

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { KINDS } from '../../../common/src';
import { ValidationSettingsNotification, type MlopsInitializationOptions } from '../../../common/src/protocol/lspMessages';
import { Settings } from '../../../common/src/settings';
import { affectsSetting, setting } from './config';

/**
 * Starts the language server as a separate Node process over IPC. The server
 * bundle sits at server/out/server.js inside the extension.
 */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: MlopsInitializationOptions = {
    validationDelayMs: setting(Settings.validationDelayMs),
    warnMissingImage: setting(Settings.exportWarnMissingImage),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: KINDS.flatMap((k) => [
      { scheme: 'file', language: k.languageId },
      { scheme: 'untitled', language: k.languageId },
    ]),
    outputChannel: output,
    initializationOptions,
  };
  return new LanguageClient('mlops', 'MLOps Language Server', serverOptions, clientOptions);
}

/** Tells the running server when a setting its checks read changes, so open documents are checked again. */
export function followValidationSettings(client: LanguageClient): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (affectsSetting(event, Settings.exportWarnMissingImage) && client.isRunning())
      void client.sendNotification(ValidationSettingsNotification, { warnMissingImage: setting(Settings.exportWarnMissingImage) });
  });
}

import { NotificationType } from 'vscode-languageserver-protocol';

/** Custom LSP messages between the extension and the language server. */

export interface RegisteredModelsParams {
  /** Every registered model name in the workspace's tracking store. */
  readonly names: readonly string[];
}

/**
 * Client -> server: the registered model names, for completion in
 * `register.model`. The server never opens the tracking store itself; the
 * client sends this once the store is open and again whenever models change.
 */
export const RegisteredModelsNotification = new NotificationType<RegisteredModelsParams>('mlops/registeredModels');

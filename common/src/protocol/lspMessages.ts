import { NotificationType } from 'vscode-languageserver-protocol';

/** Custom LSP messages between the extension and the language server. */

/** What the client sends in `initializationOptions` (settings that apply when the server starts). */
export interface MlopsInitializationOptions {
  /** `mlops.validation.delayMs`: how long the server waits after an edit before it validates, in ms. */
  readonly validationDelayMs?: number;
  /** `mlops.export.warnMissingImage`: report `missing-image` on steps without a container image. */
  readonly warnMissingImage?: boolean;
}

export interface ValidationSettingsParams {
  readonly warnMissingImage: boolean;
}

/** Client -> server: the validation settings changed; the server validates the open documents again. */
export const ValidationSettingsNotification = new NotificationType<ValidationSettingsParams>('mlops/validationSettings');

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

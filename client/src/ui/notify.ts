import * as vscode from 'vscode';

/** Every notification of the extension starts so (the e2e tests look for it). */
const PREFIX = 'MLOps: ';

export type Severity = 'info' | 'warning' | 'error';

export interface NotifyOptions<A extends string> {
  /** Buttons; the notification resolves to the one clicked, undefined when dismissed. */
  readonly actions?: readonly A[];
  /** A dialog to answer (with `detail` under the message) instead of a toast. */
  readonly modal?: boolean;
  readonly detail?: string;
  /** The text as given, without the `MLOps: ` prefix (a modal question; a text that names the product itself). */
  readonly plain?: boolean;
}

/** The text as a notification shows it, `MLOps: ` first: for the same words elsewhere (a task's terminal). */
export function prefixed(message: string): string {
  return `${PREFIX}${message}`;
}

function show<A extends string>(severity: Severity, message: string, options: NotifyOptions<A> = {}): Promise<A | undefined> {
  const text = options.plain ? message : prefixed(message);
  const actions = [...(options.actions ?? [])];
  const open =
    severity === 'info'
      ? vscode.window.showInformationMessage
      : severity === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showErrorMessage;
  const shown =
    options.modal || options.detail !== undefined
      ? open<A>(text, { modal: options.modal ?? false, ...(options.detail !== undefined ? { detail: options.detail } : {}) }, ...actions)
      : open<A>(text, ...actions);
  return Promise.resolve(shown);
}

/**
 * The extension's notifications: `MLOps: ` before the message, and the
 * button clicked as one of the labels given, e.g.
 * `const choice = await notify.warn('…', { actions: ['Retry', 'Show Log'] })`
 * is `'Retry' | 'Show Log' | undefined`.
 */
export const notify = {
  info: <A extends string = never>(message: string, options?: NotifyOptions<A>): Promise<A | undefined> => show('info', message, options),
  warn: <A extends string = never>(message: string, options?: NotifyOptions<A>): Promise<A | undefined> =>
    show('warning', message, options),
  error: <A extends string = never>(message: string, options?: NotifyOptions<A>): Promise<A | undefined> => show('error', message, options),
  /** A notification whose severity was decided elsewhere (the end of a run, a drift check). */
  show: <A extends string = never>(severity: Severity, message: string, options?: NotifyOptions<A>): Promise<A | undefined> =>
    show(severity, message, options),
  /** A warning about something this window does not do, offering Manage Workspace Trust while the folder is untrusted. */
  async blocked(message: string): Promise<void> {
    const choice = await show('warning', message, { actions: vscode.workspace.isTrusted ? [] : ['Manage Workspace Trust'] });
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  },
  /** Runs `task` under a progress indicator: a notification, or the status bar's (`window`). */
  progress: <T>(title: string, where: 'notification' | 'window', task: () => Promise<T>): Promise<T> =>
    Promise.resolve(
      vscode.window.withProgress(
        { location: where === 'notification' ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title },
        task,
      ),
    ),
};

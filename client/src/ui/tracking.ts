import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorMessage } from '../../../common/src/errors';
import { Commands } from '../../../common/src/ids/commands';
import { RegisteredModelsNotification } from '../../../common/src/protocol/lspMessages';
import { Settings } from '../../../common/src/settings';
import type { StoreChange, TrackingApi } from '../core/tracking/repository';
import { recoverAbandonedRuns } from '../core/runner';
import { serveWorkspace, type WorkspaceTracking } from '../core/tracking/workspaceServer';
import { affectsSetting, setting } from './config';
import { notify } from './notify';

const MODEL_PUSH_DELAY_MS = 300;
const MAX_MODEL_NAMES = 5000;

/**
 * The editor's side of the tracking store: it owns `.mlops/tracking.db` of
 * the first workspace folder (or joins the window that does), serves the
 * MLflow endpoint, points integrated terminals at it through
 * MLFLOW_TRACKING_URI / MLFLOW_TRACKING_TOKEN, and tells the language
 * server the registered model names.
 */
export class TrackingConnection implements vscode.Disposable {
  private tracking: Promise<WorkspaceTracking | undefined> | undefined;
  private readonly status: vscode.StatusBarItem;
  private modelTimer: NodeJS.Timeout | undefined;
  private changes: { dispose(): void } | undefined;
  private configListener: vscode.Disposable | undefined;
  /** Why the store did not open the last time it was tried. */
  lastError: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.status = vscode.window.createStatusBarItem('mlops.tracking', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'MLOps Tracking';
    this.status.command = Commands.showTrackingEndpoint;
  }

  /** The workspace folder whose store this window serves, when it may run anything at all. */
  folder(): vscode.WorkspaceFolder | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  }

  /** Starts (once) and returns the endpoint; undefined in an untrusted or folder-less window, or when it failed (logged). */
  start(): Promise<WorkspaceTracking | undefined> {
    this.tracking ??= this.open();
    return this.tracking;
  }

  private async open(): Promise<WorkspaceTracking | undefined> {
    const folder = this.folder();
    if (!folder) return undefined;
    try {
      const tracking = await serveWorkspace({
        workspaceDir: folder.uri.fsPath,
        joinPeer: true,
        log: (level, message) => this.output[level](`tracking store: ${message}`),
      });
      this.output.info(
        tracking.role === 'owner'
          ? `Tracking endpoint ${tracking.url} serves ${folder.uri.fsPath}/.mlops`
          : `Tracking store held by process ${tracking.ownerPid}; writing through its endpoint ${tracking.url}`,
      );
      this.lastError = undefined;
      if (tracking.role === 'owner') await this.recoverRuns(tracking.api);
      this.applyTerminalEnvironment(tracking);
      this.configListener ??= vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSetting(e, Settings.trackingTerminalEnvironment)) this.applyTerminalEnvironment(tracking);
      });
      this.status.text = `$(database) ${tracking.role === 'owner' ? 'Tracking' : 'Tracking (shared)'}`;
      this.status.tooltip = `MLflow-compatible endpoint ${tracking.url}${tracking.role === 'peer' ? ` (served by process ${tracking.ownerPid})` : ''}\nClick for the URI and token.`;
      this.status.show();
      const movedTo = tracking.recovery?.corruptDatabaseMovedTo;
      if (movedTo) {
        void notify
          .warn(
            `the tracking database was damaged and has been moved aside to ${movedTo}; a new one was started from the journal. Nothing was deleted.`,
            { actions: ['Show Output'] },
          )
          .then((choice) => choice && this.output.show(true));
      }
      this.changes = tracking.onChange((batch) => this.onStoreChange(batch, tracking.api));
      this.scheduleModelPush(tracking.api, 0);
      return tracking;
    } catch (error) {
      const message = errorMessage(error);
      this.output.error(`The tracking store did not open: ${message}`);
      this.lastError = message;
      this.status.text = '$(warning) Tracking';
      this.status.tooltip = `The tracking store did not open: ${message}`;
      this.status.show();
      this.tracking = undefined;
      return undefined;
    }
  }

  /** Runs left RUNNING by an editor or CLI that died are marked FAILED, once, when this window becomes the owner. */
  private async recoverRuns(api: TrackingApi): Promise<void> {
    try {
      const recovered = await recoverAbandonedRuns(api);
      if (recovered > 0)
        this.output.info(`Marked ${recovered} run${recovered === 1 ? '' : 's'} left RUNNING by a process that is gone as FAILED`);
    } catch (error) {
      this.output.warn(`Could not check for abandoned runs: ${errorMessage(error)}`);
    }
  }

  /** MLFLOW_TRACKING_URI/TOKEN for the integrated terminals, unless `mlops.tracking.terminalEnvironment` is off. */
  private applyTerminalEnvironment(tracking: WorkspaceTracking): void {
    const env = this.context.environmentVariableCollection;
    if (!setting(Settings.trackingTerminalEnvironment)) {
      env.clear();
      return;
    }
    env.description = 'MLOps Workbench: mlflow code in this terminal logs into the workspace tracking store';
    env.replace('MLFLOW_TRACKING_URI', tracking.url);
    env.replace('MLFLOW_TRACKING_TOKEN', tracking.token);
  }

  private onStoreChange(batch: readonly StoreChange[], api: TrackingApi): void {
    if (batch.some((c) => c.kind === 'model')) this.scheduleModelPush(api, MODEL_PUSH_DELAY_MS);
    this.storeChanged.fire(batch);
  }

  /** Store change batches from every writer, while this window owns the store (the trees follow them). */
  readonly onDidChange: vscode.Event<readonly StoreChange[]> = (listener, thisArg, disposables) =>
    this.storeChanged.event(listener, thisArg, disposables);
  private readonly storeChanged = new vscode.EventEmitter<readonly StoreChange[]>();

  /** The store's API, opening it on first use; undefined when it cannot open here. */
  async api(): Promise<TrackingApi | undefined> {
    return (await this.start())?.api;
  }

  private scheduleModelPush(api: TrackingApi, delay: number): void {
    if (this.modelTimer) clearTimeout(this.modelTimer);
    this.modelTimer = setTimeout(() => void this.pushModelNames(api), delay);
  }

  /** Sends every registered model name to the language server, for completion in `register.model`. */
  private async pushModelNames(api: TrackingApi): Promise<void> {
    try {
      const names: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await api.searchRegisteredModels({ max_results: 1000, ...(pageToken ? { page_token: pageToken } : {}) });
        names.push(...page.registered_models.map((m) => m.name));
        pageToken = page.next_page_token || undefined;
      } while (pageToken && names.length < MAX_MODEL_NAMES);
      if (this.client.isRunning()) await this.client.sendNotification(RegisteredModelsNotification, { names });
    } catch (error) {
      this.output.warn(`Could not list registered models for completion: ${errorMessage(error)}`);
    }
  }

  /** The palette's "Show Tracking Endpoint": copy the URI, the token or shell exports. */
  async showEndpoint(): Promise<void> {
    const tracking = await this.start();
    if (!tracking) {
      void notify.warn(
        vscode.workspace.isTrusted
          ? 'the tracking store is not open; see the MLOps Workbench output.'
          : 'the tracking store does not run in an untrusted workspace.',
      );
      return;
    }
    const exports = `export MLFLOW_TRACKING_URI=${tracking.url}\nexport MLFLOW_TRACKING_TOKEN=${tracking.token}\n`;
    const picked = await vscode.window.showQuickPick(
      [
        {
          label: '$(copy) Copy shell exports',
          detail: 'MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN, for a shell outside VS Code',
          value: exports,
        },
        { label: '$(copy) Copy tracking URI', detail: tracking.url, value: tracking.url },
        { label: '$(key) Copy token', detail: 'Sent by mlflow clients as Authorization: Bearer', value: tracking.token },
      ],
      { placeHolder: `Tracking endpoint ${tracking.url} (integrated terminals already have both variables)` },
    );
    if (picked) await vscode.env.clipboard.writeText(picked.value);
  }

  /** Saves the store and releases its lock; awaited on deactivation. */
  async close(): Promise<void> {
    if (this.modelTimer) clearTimeout(this.modelTimer);
    this.changes?.dispose();
    this.configListener?.dispose();
    this.configListener = undefined;
    const tracking = await this.tracking?.catch(() => undefined);
    this.tracking = undefined;
    await tracking?.close().catch((error: unknown) => this.output.error(`Closing the tracking store failed: ${String(error)}`));
  }

  dispose(): void {
    this.status.dispose();
    this.storeChanged.dispose();
    void this.close();
  }
}

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorMessage } from '../../../common/src/errors';
import { Commands } from '../../../common/src/ids/commands';
import { RegisteredModelsNotification } from '../../../common/src/protocol/lspMessages';
import { Settings } from '../../../common/src/settings';
import type { StoreChange, TrackingApi } from '../core/tracking/repository';
import { recoverAbandonedRuns } from '../core/runner';
import { serveWorkspace, type WorkspaceTracking } from '../core/tracking/workspaceServer';
import { checkTrackingUri, credentialsEnv } from '../core/tracking/choice';
import { TrackingAuthError, type TrackingAuth } from '../core/tracking/rest/request';
import { affectsSetting, setting } from './config';
import { notify } from './notify';
import { askCredentials, openRemote } from './remoteTracking';

const MODEL_PUSH_DELAY_MS = 300;
const RECENT_SERVERS = 'mlops.tracking.recentServers';
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
  private remoteAuth: TrackingAuth | undefined;
  private outbox = 0;
  /** Why the store did not open the last time it was tried. */
  lastError: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.status = vscode.window.createStatusBarItem('mlops.tracking', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'MLOps Tracking';
    this.status.command = Commands.switchTrackingStore;
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
    this.watchConfiguration();
    const uri = setting(Settings.trackingUri).trim();
    if (uri) return this.openRemote(folder, uri);
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
      this.status.text = `$(database) Tracking: ${tracking.role === 'owner' ? 'workspace' : 'workspace (shared)'}`;
      this.status.tooltip = `Tracking in the workspace database; MLflow-compatible endpoint ${tracking.url}${tracking.role === 'peer' ? ` (served by process ${tracking.ownerPid})` : ''}\nClick to switch stores.`;
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

  /** The store follows `mlops.tracking.uri` (and the CA bundle) live; terminals follow their setting. */
  private watchConfiguration(): void {
    this.configListener ??= vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsSetting(e, Settings.trackingUri) || affectsSetting(e, Settings.trackingCaBundle)) void this.reopen();
      else if (affectsSetting(e, Settings.trackingTerminalEnvironment))
        void this.tracking?.then((tracking) => tracking && this.applyTerminalEnvironment(tracking));
    });
  }

  /** Closes the store in use and opens the one the settings name now; every view refreshes. */
  async reopen(): Promise<void> {
    await this.close();
    await this.start();
    this.storeChanged.fire([
      { kind: 'experiment', ids: [], op: 'update' },
      { kind: 'model', ids: [], op: 'update' },
    ]);
  }

  private async openRemote(folder: vscode.WorkspaceFolder, uri: string): Promise<WorkspaceTracking | undefined> {
    let host = uri;
    try {
      host = new URL(uri).host;
      const connection = await openRemote({
        secrets: this.context.secrets,
        workspaceDir: folder.uri.fsPath,
        uri,
        visible: () => vscode.window.state.focused,
        onReachability: (reachable, error) => this.showRemoteStatus(host, reachable, error),
        onSpool: (pending, error) => {
          this.outbox = pending;
          this.output.warn(`The tracking server did not take a write (${error}); ${pending} wait in .mlops/outbox`);
          this.showRemoteStatus(host, false, error);
        },
        log: (line) => this.output.info(line),
      });
      const tracking = connection.tracking;
      this.remoteAuth = connection.auth;
      this.lastError = undefined;
      this.output.info(`Tracking in the MLflow server ${tracking.url}`);
      this.applyTerminalEnvironment(tracking);
      this.showRemoteStatus(host, true);
      this.changes = tracking.onChange((batch) => this.onStoreChange(batch, tracking.api));
      try {
        await tracking.api.searchExperiments({ max_results: 1 });
        this.scheduleModelPush(tracking.api, 0);
      } catch (error) {
        this.showRemoteStatus(host, false, errorMessage(error));
        this.reportRemoteError(tracking.url, error);
      }
      return tracking;
    } catch (error) {
      const message = errorMessage(error);
      this.output.error(`The tracking server ${uri} cannot be used: ${message}`);
      this.lastError = message;
      this.status.text = `$(warning) Tracking: ${host}`;
      this.status.tooltip = `The tracking server ${uri} cannot be used: ${message}\nClick to switch stores.`;
      this.status.show();
      this.tracking = undefined;
      return undefined;
    }
  }

  /** A refusal of the credentials offers to set them; anything else says what the server said. */
  private reportRemoteError(url: string, error: unknown): void {
    if (error instanceof TrackingAuthError)
      void notify.error(`${errorMessage(error)}.`, { actions: ['Set Credentials'] }).then((choice) => {
        if (choice) void vscode.commands.executeCommand(Commands.setTrackingCredentials);
      });
    else void notify.warn(`the tracking server ${url} cannot be reached: ${errorMessage(error)}`);
  }

  private showRemoteStatus(host: string, reachable: boolean, error?: string): void {
    const waiting = this.outbox > 0 ? ` (${this.outbox} waiting)` : '';
    this.status.text = `${reachable ? '$(cloud)' : '$(cloud-offline)'} Tracking: ${host}${waiting}`;
    this.status.tooltip = reachable
      ? `Tracking in the MLflow server ${host}${waiting ? `; ${this.outbox} writes wait in .mlops/outbox` : ''}\nClick to switch stores.`
      : `The MLflow server ${host} is not reachable: ${error ?? 'no answer'}${waiting ? `\n${this.outbox} writes wait in .mlops/outbox` : ''}\nClick to switch stores.`;
    this.status.show();
  }

  /** "MLOps: Set Tracking Server Credentials" for the configured server (or one typed in). */
  async setCredentials(): Promise<void> {
    let uri = setting(Settings.trackingUri).trim();
    if (!uri) {
      uri =
        (await vscode.window.showInputBox({
          title: 'Tracking server',
          prompt: 'The MLflow tracking server these credentials are for',
          placeHolder: 'https://mlflow.example.com',
          validateInput: (value) => {
            try {
              checkTrackingUri(value, 'the server');
              return undefined;
            } catch (error) {
              return errorMessage(error);
            }
          },
        })) ?? '';
      if (!uri) return;
    }
    if (await askCredentials(this.context.secrets, checkTrackingUri(uri, 'mlops.tracking.uri'))) {
      void notify.info(`credentials for ${new URL(uri).host} are stored in the editor's secret storage.`);
      if (setting(Settings.trackingUri).trim()) await this.reopen();
    }
  }

  /** The status bar's click: the workspace database, or a team server (the configured one, recent ones, or a new one). */
  async switchStore(): Promise<void> {
    const current = setting(Settings.trackingUri).trim();
    const recent = this.context.globalState.get<string[]>(RECENT_SERVERS, []).filter((u) => u !== current);
    type Item = vscode.QuickPickItem & { value: string | undefined };
    const items: Item[] = [
      { label: '$(database) Workspace database', detail: '.mlops/tracking.db of this folder', value: '' },
      ...(current ? [{ label: `$(cloud) ${new URL(current).host}`, detail: current, value: current }] : []),
      ...recent.map((u) => ({ label: `$(cloud) ${new URL(u).host}`, detail: u, value: u })),
      { label: '$(add) An MLflow tracking server…', detail: 'http:// or https://', value: undefined },
      { label: '$(key) Set Tracking Server Credentials…', value: 'credentials' },
      { label: '$(copy) Show the workspace endpoint (URI and token)…', value: 'endpoint' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Track runs in',
      placeHolder: current ? `Now: ${current}` : 'Now: the workspace database',
    });
    if (!picked) return;
    if (picked.value === 'credentials') return this.setCredentials();
    if (picked.value === 'endpoint') return this.showEndpoint();
    let target = picked.value;
    if (target === undefined) {
      target = await vscode.window.showInputBox({
        title: 'MLflow tracking server',
        placeHolder: 'https://mlflow.example.com',
        validateInput: (value) => {
          try {
            checkTrackingUri(value, 'the server');
            return undefined;
          } catch (error) {
            return errorMessage(error);
          }
        },
      });
      if (!target) return;
      target = checkTrackingUri(target, 'the server');
    }
    if (target) await this.context.globalState.update(RECENT_SERVERS, [target, ...recent.filter((u) => u !== target)].slice(0, 5));
    if (target !== current)
      await vscode.workspace.getConfiguration().update(Settings.trackingUri.key, target, vscode.ConfigurationTarget.Workspace);
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
    env.clear();
    if (!setting(Settings.trackingTerminalEnvironment)) return;
    if (tracking.role === 'remote') {
      // Credentials are secrets: never persisted with the terminal state.
      env.persistent = false;
      env.description = `MLOps Workbench: mlflow code in this terminal logs into ${tracking.url}`;
      env.replace('MLFLOW_TRACKING_URI', tracking.url);
      for (const [key, value] of Object.entries(credentialsEnv(this.remoteAuth))) env.replace(key, value);
      return;
    }
    env.persistent = true;
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

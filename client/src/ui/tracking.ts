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
import { EVERYTHING_CHANGED } from '../core/tracking/rest/changeStream';
import { TrackingAuthError, type TrackingAuth } from '../core/tracking/rest/request';
import { affectsSetting, setting } from './config';
import { notify } from './notify';
import type { RemoteArtifacts } from '../core/tracking/remote/artifacts';
import { askCredentials, openRemote, type RemoteConnection } from './remoteTracking';
import { hostOf, rememberServer, storeChoices, storeLabel, type StoreState } from './storeLabel';
import { ceilingVerdict, type CeilingVerdict } from '../core/tracking/storeCeiling';

const MODEL_PUSH_DELAY_MS = 300;
const RECENT_SERVERS = 'mlops.tracking.recentServers';
const MAX_MODEL_NAMES = 5000;
/** The owner looks at the store's size (against its ceiling) on open, then at most this often while metrics are written. */
const SIZE_CHECK_MS = 60_000;

/** A view whose visibility makes a team server's changes worth polling for often. */
interface Shown {
  readonly visible: boolean;
  readonly onDidChangeVisibility: vscode.Event<unknown>;
}

/**
 * The editor's side of the tracking store: it owns `.mlops/tracking.db` of
 * the first workspace folder (or joins the window that does) and serves the
 * MLflow endpoint, or, when `mlops.tracking.uri` names one, uses a team's
 * MLflow server (polled for changes; docs/tracking-remote.md). It points
 * integrated terminals at the store through MLFLOW_TRACKING_URI and its
 * credentials, names the store in the status bar, and tells the language
 * server the registered model names.
 */
export class TrackingConnection implements vscode.Disposable {
  private tracking: Promise<WorkspaceTracking | undefined> | undefined;
  private readonly status: vscode.StatusBarItem;
  private modelTimer: NodeJS.Timeout | undefined;
  /** The owned workspace store as the status bar shows it, and its size check (storeCeiling.ts). */
  private owned:
    | {
        state: Extract<StoreState, { kind: 'workspace' }>;
        api: TrackingApi;
        ceiling?: CeilingVerdict;
        checkedAt: number;
        timer?: NodeJS.Timeout;
      }
    | undefined;
  private changes: { dispose(): void } | undefined;
  private configListener: vscode.Disposable | undefined;
  private remoteAuth: TrackingAuth | undefined;
  private remote: RemoteConnection | undefined;
  /** The views (trees) that follow the store; polling is fast only while one is visible. */
  private readonly shown: Shown[] = [];
  /** A refusal of the credentials is offered the credentials command once per connection. */
  private authOffered = false;
  private reachable = true;
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
        // A joined window's views follow the owner's change stream from their first read on.
        follow: true,
        durability: setting(Settings.trackingDurability) === 'process' ? 'process' : 'fsync',
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
      const state = {
        kind: 'workspace',
        role: tracking.role === 'peer' ? 'peer' : 'owner',
        url: tracking.url,
        ownerPid: tracking.ownerPid,
      } as const;
      this.showStatus(state);
      if (tracking.role === 'owner') {
        this.owned = { state, api: tracking.api, checkedAt: 0 };
        void this.checkStoreSize();
      }
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
      this.showStatus({ kind: 'failed', error: message });
      this.tracking = undefined;
      return undefined;
    }
  }

  private showStatus(state: StoreState): void {
    const { text, tooltip, warning } = storeLabel(state);
    this.status.text = text;
    this.status.tooltip = tooltip;
    this.status.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
  }

  /** The owned store's size against its ceiling: the status bar warns past it (docs/tracking-store.md, Ceiling). */
  private async checkStoreSize(): Promise<void> {
    const owned = this.owned;
    if (!owned) return;
    owned.checkedAt = Date.now();
    try {
      const ceiling = ceilingVerdict(await owned.api.getStoreSize({}), setting(Settings.trackingCeilingPoints));
      if (this.owned !== owned) return;
      if (ceiling.level !== (owned.ceiling?.level ?? 'ok'))
        this.output[ceiling.level === 'ok' ? 'info' : 'warn'](ceiling.message || 'The workspace store is below its ceiling again.');
      owned.ceiling = ceiling;
      this.showStatus({ ...owned.state, ceiling });
    } catch (error) {
      this.output.warn(`Could not read the tracking store's size: ${errorMessage(error)}`);
    }
  }

  private scheduleSizeCheck(): void {
    const owned = this.owned;
    if (!owned || owned.timer) return;
    owned.timer = setTimeout(
      () => {
        owned.timer = undefined;
        void this.checkStoreSize();
      },
      Math.max(0, owned.checkedAt + SIZE_CHECK_MS - Date.now()),
    );
  }

  /**
   * Registers a view that follows the store: while none is visible (or the window has no focus)
   * a team server is polled every 30 s only; a view coming into sight polls at once.
   */
  followVisibility(view: Shown): vscode.Disposable {
    this.shown.push(view);
    const listener = view.onDidChangeVisibility(() => {
      if (view.visible) this.remote?.poller.poke();
    });
    return {
      dispose: () => {
        listener.dispose();
        this.shown.splice(this.shown.indexOf(view), 1);
      },
    };
  }

  private viewsVisible(): boolean {
    return vscode.window.state.focused && (this.shown.length === 0 || this.shown.some((v) => v.visible));
  }

  /** A team server's artifact listing and downloads; undefined with the workspace database (its artifacts are files). */
  remoteArtifacts(): RemoteArtifacts | undefined {
    return this.remote?.artifacts;
  }

  /** The store follows `mlops.tracking.uri` (and the CA bundle) live; terminals follow their setting. */
  private watchConfiguration(): void {
    this.configListener ??= vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        affectsSetting(e, Settings.trackingUri) ||
        affectsSetting(e, Settings.trackingCaBundle) ||
        affectsSetting(e, Settings.trackingDurability)
      )
        void this.reopen();
      else if (affectsSetting(e, Settings.trackingCeilingPoints)) void this.checkStoreSize();
      else if (affectsSetting(e, Settings.trackingTerminalEnvironment))
        void this.tracking?.then((tracking) => tracking && this.applyTerminalEnvironment(tracking));
    });
  }

  /** Closes the store in use and opens the one the settings name now; every view refreshes. */
  async reopen(): Promise<void> {
    // Views asking meanwhile wait for the new store rather than open a second one beside the closing one.
    const closing = this.close();
    const opening = closing.then(() => this.open());
    this.tracking = opening;
    await opening;
    this.storeChanged.fire(EVERYTHING_CHANGED);
  }

  private async openRemote(folder: vscode.WorkspaceFolder, uri: string): Promise<WorkspaceTracking | undefined> {
    let url = uri;
    this.authOffered = false;
    try {
      url = checkTrackingUri(uri, 'mlops.tracking.uri');
      const connection = await openRemote({
        secrets: this.context.secrets,
        workspaceDir: folder.uri.fsPath,
        uri: url,
        visible: () => this.viewsVisible(),
        onReachability: (reachable, error) => this.onReachability(url, reachable, error),
        onSpool: (pending, error) => {
          this.output.warn(`The tracking server did not take a write (${error}); ${pending} wait in .mlops/outbox`);
          this.showRemoteStatus(url, false, error);
        },
        log: (line) => this.output.info(line),
      });
      const tracking = connection.tracking;
      this.remote = connection;
      this.remoteAuth = connection.auth;
      this.lastError = undefined;
      this.output.info(`Tracking in the MLflow server ${tracking.url}${connection.auth ? '' : ' (no credentials)'}`);
      this.applyTerminalEnvironment(tracking);
      this.showRemoteStatus(url, true);
      this.changes = tracking.onChange((batch) => this.onStoreChange(batch, tracking.api));
      await this.context.globalState.update(RECENT_SERVERS, rememberServer(this.recentServers(), url));
      try {
        await tracking.api.searchExperiments({ max_results: 1 });
        this.scheduleModelPush(tracking.api, 0);
      } catch (error) {
        this.onReachability(url, false, error);
      }
      return tracking;
    } catch (error) {
      const message = errorMessage(error);
      this.output.error(`The tracking server ${uri} cannot be used: ${message}`);
      this.lastError = message;
      this.showStatus({ kind: 'failed', target: uri, error: message });
      // Nothing runs rather than tracking into the workspace behind the user's back.
      void notify
        .error(`mlops.tracking.uri cannot be used: ${message}. Nothing is tracked until it is fixed or emptied.`, {
          actions: ['Open Settings', 'Use Workspace Database'],
        })
        .then(async (choice) => {
          if (choice === 'Open Settings')
            await vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', Settings.trackingUri.key);
          else if (choice === 'Use Workspace Database')
            await vscode.workspace.getConfiguration().update(Settings.trackingUri.key, '', vscode.ConfigurationTarget.Workspace);
        });
      // Kept failed (no retry on every view's request) until the settings change.
      return undefined;
    }
  }

  /** The probe's and the poller's verdict: the status bar follows it; a refusal of the credentials offers to set them (once). */
  private onReachability(url: string, reachable: boolean, error?: unknown): void {
    if (reachable) {
      this.showRemoteStatus(url, true);
      return;
    }
    const message = errorMessage(error);
    const wasReachable = this.reachable;
    this.showRemoteStatus(url, false, message);
    if (error instanceof TrackingAuthError) {
      if (this.authOffered) return;
      this.authOffered = true;
      this.output.error(message);
      void notify.error(`${message}.`, { actions: ['Set Credentials'] }).then((choice) => {
        if (choice) void vscode.commands.executeCommand(Commands.setTrackingCredentials);
      });
    } else if (wasReachable) this.output.warn(`The tracking server ${url} does not answer: ${message}`);
  }

  private showRemoteStatus(url: string, reachable: boolean, error?: string): void {
    this.reachable = reachable;
    const outbox = this.remote?.spool.pending ?? 0;
    this.showStatus({ kind: 'remote', url, reachable, ...(error ? { error } : {}), ...(outbox ? { outbox } : {}) });
  }

  private recentServers(): string[] {
    return this.context.globalState.get<string[]>(RECENT_SERVERS, []).filter((u) => typeof u === 'string' && u !== '');
  }

  /** "MLOps: Set Tracking Server Credentials" for the configured server (or a recent one, or one typed in). */
  async setCredentials(): Promise<void> {
    const configured = setting(Settings.trackingUri).trim();
    let uri = configured;
    if (!uri) {
      const recent = this.recentServers();
      const TYPE = '$(add) Another server…';
      const picked = recent.length
        ? await vscode.window.showQuickPick([...recent, TYPE], { title: 'Credentials for which tracking server?' })
        : TYPE;
      if (!picked) return;
      uri = picked === TYPE ? ((await this.askServerUrl()) ?? '') : picked;
      if (!uri) return;
    }
    let url: string;
    try {
      url = checkTrackingUri(uri, 'mlops.tracking.uri');
    } catch (error) {
      void notify.error(errorMessage(error));
      return;
    }
    if (await askCredentials(this.context.secrets, url)) {
      void notify.info(`credentials for ${hostOf(url)} are updated in the editor's secret storage.`);
      if (configured && new URL(configured).origin === new URL(url).origin) await this.reopen();
    }
  }

  private askServerUrl(): Thenable<string | undefined> {
    return vscode.window
      .showInputBox({
        title: 'MLflow tracking server',
        prompt: 'http:// or https://, without credentials',
        placeHolder: 'https://mlflow.example.com',
        ignoreFocusOut: true,
        validateInput: (value) => {
          try {
            checkTrackingUri(value, 'the server');
            return undefined;
          } catch (error) {
            return errorMessage(error);
          }
        },
      })
      .then((value) => (value ? checkTrackingUri(value, 'the server') : undefined));
  }

  /** The status bar's click: the workspace database, or a team server (the configured one, recent ones, or a new one). */
  async switchStore(): Promise<void> {
    const current = setting(Settings.trackingUri).trim();
    type Item = vscode.QuickPickItem & { value: string | undefined };
    const stores: Item[] = storeChoices(current, this.recentServers()).map((c) => ({
      label: c.label,
      detail: c.detail,
      value: c.value,
      ...(c.current ? { description: '$(check) in use' } : {}),
    }));
    const items: Item[] = [
      ...stores,
      { label: '$(add) Another MLflow tracking server…', detail: 'http:// or https://', value: undefined },
      { label: '', kind: vscode.QuickPickItemKind.Separator, value: 'separator' },
      { label: '$(key) Set Tracking Server Credentials…', value: 'credentials' },
      { label: '$(copy) Show the workspace endpoint (URI and token)…', value: 'endpoint' },
    ];
    const picked = await new Promise<Item | undefined>((resolve) => {
      const pick = vscode.window.createQuickPick<Item>();
      pick.title = 'Track runs in';
      pick.placeholder = current ? `Now: ${current}` : 'Now: the workspace database';
      pick.items = items;
      pick.activeItems = stores.filter((i) => i.value === current);
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]);
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        pick.dispose();
      });
      pick.show();
    });
    if (!picked) return;
    if (picked.value === 'credentials') return this.setCredentials();
    if (picked.value === 'endpoint') return this.showEndpoint();
    const target = picked.value ?? (await this.askServerUrl());
    if (target === undefined) return;
    if (target) await this.context.globalState.update(RECENT_SERVERS, rememberServer(this.recentServers(), target));
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
    if (batch.some((c) => c.kind === 'metric')) this.scheduleSizeCheck();
    this.storeChanged.fire(batch);
  }

  /** Store change batches from every writer (the trees follow them): the store's own when this window owns it, the owner's change stream when it joined, the poller's with a team server. */
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
    const remote = tracking.role === 'remote';
    const variables = remote ? credentialsEnv(this.remoteAuth) : { MLFLOW_TRACKING_TOKEN: tracking.token };
    const quote = (value: string) => (/^[\w.:/@%+-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
    const exports = [`export MLFLOW_TRACKING_URI=${tracking.url}`, ...Object.entries(variables).map(([k, v]) => `export ${k}=${quote(v)}`)]
      .map((line) => `${line}\n`)
      .join('');
    const names = ['MLFLOW_TRACKING_URI', ...Object.keys(variables)].join(', ');
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(copy) Copy shell exports', detail: `${names}, for a shell outside VS Code`, value: exports },
        { label: '$(copy) Copy tracking URI', detail: tracking.url, value: tracking.url },
        ...(tracking.token
          ? [{ label: '$(key) Copy token', detail: 'Sent by mlflow clients as Authorization: Bearer', value: tracking.token }]
          : []),
      ],
      {
        placeHolder: `${remote ? 'Tracking server' : 'Tracking endpoint'} ${tracking.url} (integrated terminals already have ${names})`,
      },
    );
    if (picked) await vscode.env.clipboard.writeText(picked.value);
  }

  /** Saves the store and releases its lock; awaited on deactivation. */
  async close(): Promise<void> {
    if (this.modelTimer) clearTimeout(this.modelTimer);
    clearTimeout(this.owned?.timer);
    this.owned = undefined;
    this.changes?.dispose();
    this.configListener?.dispose();
    this.configListener = undefined;
    const current = this.tracking;
    this.tracking = undefined;
    this.remote = undefined;
    this.remoteAuth = undefined;
    const tracking = await current?.catch(() => undefined);
    await tracking?.close().catch((error: unknown) => this.output.error(`Closing the tracking store failed: ${String(error)}`));
  }

  dispose(): void {
    this.status.dispose();
    this.storeChanged.dispose();
    void this.close();
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FeatureViewPreview } from '../../../../common/src/features/preview';
import { IGNORED_FOLDERS } from '../../../../common/src';
import type { OnlineResponse } from '../../core/features/online';
import type { FeatureRegistry } from '../../core/features/registry';
import { notify } from '../notify';
import { cliFailure, runCli, type CliResult } from '../cliProcess';
import type { FeatureNode, FeatureStoreTreeProvider } from './featureStoreTree';
import { featuresFolder, readRegistry } from './featureStoreState';
import type { PreviewSource } from './previewPanel';

const UNTRUSTED =
  'feature views are not read in Restricted Mode: previews, materialisation and training sets read the data files the views name and write the workspace store. Trust the folder (Manage Workspace Trust) to use them.';

/** What a lookup or a training set asks for: a service, or fields of one view. */
type Request = { readonly service: string } | { readonly view: string; readonly features: readonly string[] };

const asNode = (target: unknown): FeatureNode | undefined =>
  target !== null && typeof target === 'object' && 'kind' in target ? (target as FeatureNode) : undefined;

const requestArgs = (request: Request): string[] =>
  'service' in request ? ['--service', request.service] : ['--features', request.features.map((f) => `${request.view}:${f}`).join(',')];

const requestLabel = (request: Request): string => ('service' in request ? request.service : request.view);

/**
 * The commands on feature views. The work itself is the bundled `mlops
 * features` CLI in a child process (./cliProcess.ts): what CI runs, and
 * never on the extension host's thread.
 */
export class FeatureCommands implements PreviewSource {
  /** The entity key values asked for last, per join key: the next lookup starts from them. */
  private readonly lastKeys = new Map<string, string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: FeatureStoreTreeProvider,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The trusted file folder and its registry; says why not otherwise. */
  private async context(): Promise<{ folder: vscode.WorkspaceFolder; registry: FeatureRegistry } | undefined> {
    if (!vscode.workspace.isTrusted) {
      await notify.blocked(UNTRUSTED);
      return undefined;
    }
    const folder = featuresFolder();
    if (!folder) {
      void notify.info('open a folder with a features file (*.features.yaml) first.');
      return undefined;
    }
    const state = await readRegistry(folder);
    if ('error' in state) {
      void notify.error(`the feature definitions cannot be used: ${state.error}`, { actions: ['Show Problems'] }).then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return undefined;
    }
    if (state.registry.views.size === 0) {
      void notify.info('no feature views in this workspace: add one to a *.features.yaml file.');
      return undefined;
    }
    return { folder, registry: state.registry };
  }

  private cli(
    folder: vscode.WorkspaceFolder,
    args: readonly string[],
    options: { onProgress?: (line: string) => void; signal?: AbortSignal } = {},
  ) {
    this.output.info(`mlops ${args.join(' ')}`);
    return runCli({
      extensionPath: this.extensionUri.fsPath,
      args: [...args, '--workspace', folder.uri.fsPath],
      cwd: folder.uri.fsPath,
      ...options,
    });
  }

  /** The CLI under a cancellable notification showing its progress lines; undefined when cancelled (the child is stopped). */
  private async cliWithProgress(title: string, folder: vscode.WorkspaceFolder, args: readonly string[]): Promise<CliResult | undefined> {
    const abort = new AbortController();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return this.cli(folder, args, {
          onProgress: (line) => progress.report({ message: line.replace(/^mlops features: /, '') }),
          signal: abort.signal,
        });
      },
    );
    if (!abort.signal.aborted) return result;
    this.output.info(`${title}: cancelled`);
    return undefined;
  }

  private failed(what: string, result: CliResult): void {
    this.output.error(`${what}: ${result.stderr.trim()}`);
    void notify.error(`${what}: ${cliFailure(result)}`, { actions: ['Show Output'] }).then((choice) => choice && this.output.show(true));
  }

  /** The view a command is about: its row, the lens's name, else one picked (preselecting the first). */
  async viewFor(target: unknown, name: string | undefined, placeHolder: string, onlineOnly: boolean): Promise<string | undefined> {
    const node = asNode(target);
    if (node?.kind === 'view' || node?.kind === 'field') return node.view.name;
    if (typeof name === 'string') return name;
    const ctx = await this.context();
    if (!ctx) return undefined;
    const views = [...ctx.registry.views.values()].filter((v) => !onlineOnly || v.online);
    if (views.length <= 1) return views[0]?.name;
    const picked = await vscode.window.showQuickPick(
      views.map((v) => ({
        label: v.name,
        description: `${vscode.workspace.asRelativePath(v.source.file)} · ${v.fields.length} fields${v.online ? ' · online' : ''}`,
      })),
      { placeHolder },
    );
    return picked?.label;
  }

  /** PreviewSource: `mlops features preview VIEW --json`. */
  async preview(view: string): Promise<FeatureViewPreview> {
    const folder = featuresFolder();
    if (!folder || !vscode.workspace.isTrusted) throw new Error(UNTRUSTED);
    const result = await this.cli(folder, ['features', 'preview', view, '--json']);
    if (result.code !== 0) throw new Error(cliFailure(result));
    const preview = JSON.parse(result.stdout) as FeatureViewPreview;
    return { ...preview, source: { ...preview.source, file: vscode.workspace.asRelativePath(preview.source.file, false) } };
  }

  async openDefinition(view: string): Promise<void> {
    const folder = featuresFolder();
    const state = folder ? await readRegistry(folder) : undefined;
    const file = state && 'registry' in state ? state.registry.views.get(view)?.file : undefined;
    if (file) await this.openAt(vscode.Uri.file(file), view);
  }

  /** Opens a features file with the cursor on the definition of `name`. */
  async openAt(uri: vscode.Uri, name: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`name:\\s*["']?(${escaped})["']?\\s*(?:[,}#]|$)`, 'm').exec(text);
    const start = match ? match.index + match[0].indexOf(match[1]!) : Math.max(0, text.indexOf(name));
    const position = doc.positionAt(start);
    await vscode.window.showTextDocument(doc, { preview: true, selection: new vscode.Range(position, position.translate(0, name.length)) });
  }

  /** "Materialize": the view of the lens or row, else the online views picked (all, preselected). */
  async materialize(target: unknown, name: string | undefined): Promise<void> {
    const ctx = await this.context();
    if (!ctx) return;
    const online = [...ctx.registry.views.values()].filter((v) => v.online);
    const node = asNode(target);
    let views: string[];
    if (node?.kind === 'view') views = [node.view.name];
    else if (typeof name === 'string') views = [name];
    else if (online.length === 0) {
      void notify.info('no online feature views: set `online: true` on a view to materialize it.');
      return;
    } else if (online.length === 1) views = [online[0]!.name];
    else {
      const picked = await vscode.window.showQuickPick(
        online.map((v) => ({ label: v.name, description: vscode.workspace.asRelativePath(v.source.file), picked: true })),
        { canPickMany: true, placeHolder: 'Materialize which online views? (all are selected)' },
      );
      if (!picked?.length) return;
      views = picked.map((p) => p.label);
    }
    this.store.setBusy(views, true);
    let result: CliResult | undefined;
    try {
      result = await this.cliWithProgress(`Materializing ${views.join(', ')}`, ctx.folder, [
        'features',
        'materialize',
        '--views',
        views.join(','),
      ]);
    } finally {
      this.store.setBusy(views, false);
    }
    if (!result) return;
    if (result.code !== 0) return this.failed(`Materializing ${views.join(', ')} failed`, result);
    const lines = result.stdout.trim().split('\n').filter(Boolean);
    this.output.info(lines.join('\n'));
    const choice = await notify.info(`materialized ${lines.join('; ')}`, { actions: ['Get Online Features…'] });
    if (choice) await this.lookUp(views.length === 1 ? views[0] : undefined);
  }

  /** A service or view to read: the row's, else picked (services first, the first preselected). */
  private async requestFor(
    target: unknown,
    registry: FeatureRegistry,
    placeHolder: string,
    onlineOnly: boolean,
  ): Promise<Request | undefined> {
    const node = asNode(target);
    if (node?.kind === 'service' || node?.kind === 'feature') return { service: node.service.name };
    const view =
      node?.kind === 'view' || node?.kind === 'field' ? node.view : typeof target === 'string' ? registry.views.get(target) : undefined;
    if (view) return { view: view.name, features: view.fields };
    const items: (vscode.QuickPickItem & { request: Request })[] = [
      ...[...registry.services.values()].map((s) => ({
        label: s.name,
        description: `feature service · ${s.features.length} features`,
        request: { service: s.name } as Request,
      })),
      ...[...registry.views.values()]
        .filter((v) => !onlineOnly || v.online)
        .map((v) => ({
          label: v.name,
          description: `feature view · ${v.fields.length} fields`,
          request: { view: v.name, features: v.fields } as Request,
        })),
    ];
    if (items.length === 0) {
      void notify.info('no online feature views: set `online: true` on a view, then materialize it.');
      return undefined;
    }
    if (items.length === 1) return items[0]!.request;
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.request;
  }

  /** The join keys a request needs, in order. */
  private joinKeys(request: Request, registry: FeatureRegistry): string[] {
    const views = 'service' in request ? (registry.services.get(request.service)?.features.map((f) => f.view) ?? []) : [request.view];
    return [...new Set(views.flatMap((v) => registry.views.get(v)?.joinKeys ?? []))];
  }

  /** "Get Online Features…" (of a row, or of the view named after a materialisation): asks for the entity key, then shows each value with its status. */
  async lookUp(target?: unknown): Promise<void> {
    const ctx = await this.context();
    if (!ctx) return;
    const request = await this.requestFor(target, ctx.registry, 'Look up which features?', true);
    if (!request) return;
    const keys = this.joinKeys(request, ctx.registry);
    const entity: string[] = [];
    for (const [i, key] of keys.entries()) {
      const value = await vscode.window.showInputBox({
        title: `Get Online Features: ${requestLabel(request)}${keys.length > 1 ? ` (${i + 1}/${keys.length})` : ''}`,
        prompt: `The ${key} to look up`,
        value: this.lastKeys.get(key) ?? '',
        placeHolder: key,
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() ? undefined : `give a ${key}`),
      });
      if (value === undefined) return;
      this.lastKeys.set(key, value.trim());
      entity.push('--entity', `${key}=${value.trim()}`);
    }
    const result = await notify.progress(`Looking up ${requestLabel(request)}`, 'window', () =>
      this.cli(ctx.folder, ['features', 'online', ...requestArgs(request), ...entity, '--json']),
    );
    if (result.code !== 0) return this.failed(`Get Online Features of ${requestLabel(request)} failed`, result);
    const answer = JSON.parse(result.stdout) as OnlineResponse;
    this.showAnswer(answer, keys, request);
  }

  private showAnswer(answer: OnlineResponse, keys: readonly string[], request: Request): void {
    const names = answer.metadata.feature_names;
    const entity = keys.map((k) => `${k}=${String(answer.results[names.indexOf(k)]?.values[0] ?? '')}`).join(', ');
    const features = names.map((name, c) => ({ name, column: answer.results[c]! })).filter((f) => !keys.includes(f.name));
    const statuses = features.map((f) => f.column.statuses[0]);
    const items: vscode.QuickPickItem[] = features.map(({ name, column }) => {
      const status = column.statuses[0]!;
      const value = column.values[0];
      const time = column.event_timestamps[0];
      return {
        label: name,
        description: value === null || value === undefined ? '(no value)' : String(value),
        detail: `${status}${status !== 'NOT_FOUND' && time ? ` · event time ${time}` : ''}`,
        iconPath: new vscode.ThemeIcon(status === 'PRESENT' ? 'pass' : status === 'OUTSIDE_MAX_AGE' ? 'history' : 'circle-slash'),
      };
    });
    const quick = vscode.window.createQuickPick();
    quick.title = `Online features of ${entity} (${requestLabel(request)})`;
    quick.placeholder = statuses.every((s) => s === 'PRESENT')
      ? 'Pick a feature to copy its value'
      : statuses.every((s) => s === 'NOT_FOUND')
        ? 'Not in the online store: materialize the view, or check the key'
        : statuses.some((s) => s === 'OUTSIDE_MAX_AGE')
          ? "Some values are older than their view's ttl, so they are empty (OUTSIDE_MAX_AGE)"
          : 'Pick a feature to copy its value';
    quick.items = items;
    quick.matchOnDescription = true;
    quick.matchOnDetail = true;
    quick.onDidAccept(() => {
      const picked = quick.selectedItems[0];
      if (picked?.description && picked.description !== '(no value)') {
        void vscode.env.clipboard.writeText(picked.description);
        void vscode.window.setStatusBarMessage(`Copied ${picked.label} = ${picked.description}`, 3000);
      }
      quick.hide();
    });
    quick.onDidHide(() => quick.dispose());
    quick.show();
  }

  /** "Build Training Set…": a service or view, then a labels file; the result goes beside it. */
  async buildTrainingSet(target?: unknown): Promise<void> {
    const ctx = await this.context();
    if (!ctx) return;
    const request = await this.requestFor(target, ctx.registry, 'Build a training set from which features?', false);
    if (!request) return;
    const labels = await this.pickEntityFile(ctx.folder, this.joinKeys(request, ctx.registry));
    if (!labels) return;
    const ext = path.extname(labels.fsPath).toLowerCase() === '.parquet' ? '.parquet' : '.csv';
    const out = vscode.Uri.file(
      path.join(path.dirname(labels.fsPath), `${path.basename(labels.fsPath, path.extname(labels.fsPath))}.training${ext}`),
    );
    if (await exists(out)) {
      const choice = await notify.warn(`${vscode.workspace.asRelativePath(out)} exists. Replace it?`, {
        modal: true,
        plain: true,
        actions: ['Replace'],
      });
      if (choice !== 'Replace') return;
    }
    const result = await this.cliWithProgress(`Building a training set from ${requestLabel(request)}`, ctx.folder, [
      'features',
      'historical',
      ...requestArgs(request),
      '--entities',
      labels.fsPath,
      '-o',
      out.fsPath,
    ]);
    if (!result) return;
    if (result.code !== 0) return this.failed(`The training set of ${requestLabel(request)} was not built`, result);
    const summary = result.stderr
      .split('\n')
      .reverse()
      .find((l) => / rows, \d+ features? written to /.test(l));
    this.output.info(summary ?? `wrote ${out.fsPath}`);
    const choice = await notify.info(
      summary
        ? summary.replace(/^mlops features: /, '').replace(out.fsPath, vscode.workspace.asRelativePath(out))
        : `wrote ${vscode.workspace.asRelativePath(out)}`,
      { actions: ext === '.csv' ? ['Open'] : ['Reveal'] },
    );
    if (choice === 'Open') await vscode.window.showTextDocument(out, { preview: true });
    else if (choice === 'Reveal') await vscode.commands.executeCommand('revealInExplorer', out);
  }

  /** The entity rows: a CSV or Parquet file of the workspace, files that look like labels first, or one browsed to. */
  private async pickEntityFile(folder: vscode.WorkspaceFolder, keys: readonly string[]): Promise<vscode.Uri | undefined> {
    const exclude = `**/{${[...IGNORED_FOLDERS, '.mlops'].join(',')}}/**`;
    const files = (await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.{csv,parquet}'), exclude, 500)).filter(
      (uri) => !/\.training\.(csv|parquet)$/.test(uri.fsPath),
    );
    const rank = (uri: vscode.Uri) => (/label|entit/i.test(path.basename(uri.fsPath)) ? 0 : 1);
    files.sort((a, b) => rank(a) - rank(b) || vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
    const browse = { label: '$(folder-opened) Browse…', description: 'another file' };
    const picked = await vscode.window.showQuickPick(
      [...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })), browse],
      { placeHolder: `The entity rows: ${keys.join(', ')} and event_timestamp, plus labels (the result is written beside it)` },
    );
    if (!picked) return undefined;
    if ('uri' in picked) return picked.uri;
    const chosen = await vscode.window.showOpenDialog({
      defaultUri: folder.uri,
      canSelectMany: false,
      filters: { 'CSV or Parquet': ['csv', 'parquet'] },
    });
    return chosen?.[0];
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

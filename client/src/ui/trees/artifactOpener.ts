import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vscode from 'vscode';
import { formatBytes } from '../../../../common/src/text/bytes';
import { artifactKind, isLargeArtifact } from '../../core/artifacts/artifactKinds';
import type { RemoteArtifacts } from '../../core/tracking/remote/artifacts';
import type { RunInfo, TrackingApi } from '../../core/tracking/repository';
import { notify } from '../notify';
import { downloadArtifact, downloadFolder } from './remoteArtifactFiles';

/** Text artifacts of a run on a team server open as `mlops-artifact:/<runId>/<path>`: read-only documents. */
export const ARTIFACT_SCHEME = 'mlops-artifact';

/** The file of a run's artifact on this machine, refusing paths that leave the artifact folder. */
export function localArtifactPath(run: RunInfo, relative: string): string {
  const root = fileURLToPath(run.artifact_uri);
  const target = path.resolve(root, ...relative.split('/'));
  if (target !== root && !target.startsWith(root + path.sep))
    throw new Error(`artifact path ${relative} leaves the artifact folder of run ${run.run_id}`);
  return target;
}

/**
 * Serves the text artifacts of runs on a team server: each read downloads the file again, and
 * VS Code keeps such documents read-only (a content provider has no save).
 */
export class RemoteArtifactDocuments implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly api: () => Promise<TrackingApi | undefined>,
    private readonly remote: () => RemoteArtifacts | undefined,
  ) {}

  static uri(runId: string, relative: string): vscode.Uri {
    return vscode.Uri.from({ scheme: ARTIFACT_SCHEME, path: `/${runId}/${relative}` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, runId = '', ...rest] = uri.path.split('/');
    const relative = rest.join('/');
    const api = await this.api();
    const remote = this.remote();
    if (!api || !remote) throw new Error(`${relative} of run ${runId}: the tracking server is not connected in this window`);
    const { run } = await api.getRun({ run_id: runId });
    return new TextDecoder().decode(await remote.download(run.info.artifact_uri, relative));
  }
}

/** Asks before a file over 50 MB is opened; true to go on. */
async function confirmLarge(relative: string, size: number | undefined): Promise<boolean> {
  if (!isLargeArtifact(size)) return true;
  const choice = await notify.warn(`${relative} is ${formatBytes(size!)}. Open it anyway?`, {
    plain: true,
    modal: true,
    detail: 'Large files can make the editor slow.',
    actions: ['Open'],
  });
  return choice === 'Open';
}

export interface ArtifactOpenContext {
  remote: RemoteArtifacts | undefined;
  showModel(runId: string, folder: string): Promise<void>;
}

/**
 * Opens one artifact file of a run by its kind: images in VS Code's image preview, text as a
 * document (read-only from a server), an MLmodel file in the model panel, anything else as VS Code
 * opens it. A server's files are downloaded first (text is read through ARTIFACT_SCHEME instead).
 * `size` is the server listing's; a local file's is read here.
 */
export async function openArtifact(ctx: ArtifactOpenContext, run: RunInfo, relative: string, size?: number): Promise<void> {
  const kind = artifactKind(relative);
  const folder = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
  if (kind === 'model') {
    await ctx.showModel(run.run_id, folder);
    return;
  }
  const local = run.artifact_uri.startsWith('file:');
  if (local) {
    const file = localArtifactPath(run, relative);
    if (!(await confirmLarge(relative, (await stat(file)).size))) return;
    await show(vscode.Uri.file(file), kind);
    return;
  }
  if (!ctx.remote) {
    void notify.info(`the artifacts of ${run.run_name} are at ${run.artifact_uri}, not on this machine.`);
    return;
  }
  if (!(await confirmLarge(relative, size))) return;
  if (kind === 'text') {
    await show(RemoteArtifactDocuments.uri(run.run_id, relative), kind);
    return;
  }
  const remote = ctx.remote;
  const file = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Downloading ${relative}` }, () =>
    downloadArtifact(remote, run, relative, downloadFolder(run.run_id)),
  );
  await show(vscode.Uri.file(file), kind);
}

async function show(uri: vscode.Uri, kind: 'image' | 'text' | 'file'): Promise<void> {
  if (kind === 'image') await vscode.commands.executeCommand('vscode.openWith', uri, 'imagePreview.previewEditor');
  else if (kind === 'text') await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  else await vscode.commands.executeCommand('vscode.open', uri);
}

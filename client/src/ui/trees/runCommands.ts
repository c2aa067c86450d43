import { fileURLToPath } from 'node:url';
import * as vscode from 'vscode';
import { errorMessage } from '../../../../common/src/errors';
import { Commands } from '../../../../common/src/ids/commands';
import type { RunInfo, TrackingApi } from '../../core/tracking/repository';
import type { ExperimentsNode } from '../../core/views/experimentNodes';
import { NOTE_TAG } from '../../core/views/runDetails';
import { notify } from '../notify';
import type { RemoteArtifacts } from '../../core/tracking/remote/artifacts';
import { downloadArtifact, listRemoteArtifacts } from './remoteArtifactFiles';
import { pickRun, type TreeCommandContext } from './treeCommandContext';

/** The run a command is about: the row (or a row below it) it was invoked on, else one the user picks. */
async function runOf(api: TrackingApi, arg: ExperimentsNode | undefined, title: string): Promise<string | undefined> {
  if (arg?.kind === 'run') return arg.row.runId;
  if (arg && 'runId' in arg) return arg.runId;
  return pickRun(api, title);
}

export function registerRunCommands(ctx: TreeCommandContext): void {
  const { register, withApi } = ctx;

  register(Commands.renameRun, (arg?: ExperimentsNode) =>
    withApi(async (api) => {
      const runId = await runOf(api, arg, 'Rename Run');
      if (!runId) return;
      const { run } = await api.getRun({ run_id: runId });
      const name = await vscode.window.showInputBox({
        title: 'Rename run',
        value: run.info.run_name,
        validateInput: (v) => (v.trim() === '' ? 'A run needs a name' : v.length > 250 ? 'At most 250 characters' : undefined),
      });
      if (!name || name.trim() === run.info.run_name) return;
      await api.updateRun({ run_id: runId, run_name: name.trim() });
    }),
  );

  register(Commands.addRunNote, (arg?: ExperimentsNode) =>
    withApi(async (api) => {
      const runId = await runOf(api, arg, 'Add Note to Run');
      if (!runId) return;
      const { run } = await api.getRun({ run_id: runId });
      const current = run.data.tags.find((t) => t.key === NOTE_TAG)?.value ?? '';
      const note = await vscode.window.showInputBox({
        title: `Note for ${run.info.run_name}`,
        prompt: 'Stored as mlflow.note.content, as the MLflow UI does; empty removes it',
        value: current,
      });
      if (note === undefined || note === current) return;
      if (note.trim() === '') await api.deleteTag({ run_id: runId, key: NOTE_TAG });
      else await api.setTag({ run_id: runId, key: NOTE_TAG, value: note });
    }),
  );

  register(Commands.deleteRun, (arg?: ExperimentsNode) =>
    withApi(async (api) => {
      const runId = await runOf(api, arg, 'Delete Run');
      if (!runId) return;
      const { run } = await api.getRun({ run_id: runId });
      const ok = await notify.warn(`Delete run ${run.info.run_name}?`, {
        plain: true,
        modal: true,
        detail: 'It leaves the Experiments view and searches; "MLOps: Restore Run" brings it back. Its artifacts and logs stay on disk.',
        actions: ['Delete'],
      });
      if (ok === 'Delete') await api.deleteRun({ run_id: runId });
    }),
  );

  register(Commands.restoreRun, (arg?: ExperimentsNode) =>
    withApi(async (api) => {
      let runId = arg?.kind === 'run' ? arg.row.runId : undefined;
      if (!runId) {
        const { experiments } = await api.searchExperiments({ max_results: 1000 });
        const { runs } = await api.searchRuns({
          experiment_ids: experiments.map((e) => e.experiment_id),
          run_view_type: 'DELETED_ONLY',
          max_results: 200,
        });
        if (runs.length === 0) {
          void notify.info('no deleted runs.');
          return;
        }
        runId = (
          await vscode.window.showQuickPick(
            runs.map((r) => ({ label: r.info.run_name, description: r.info.run_id, runId: r.info.run_id })),
            { title: 'Restore a deleted run' },
          )
        )?.runId;
      }
      if (runId) await api.restoreRun({ run_id: runId });
    }),
  );

  register(Commands.copyRunId, (arg?: ExperimentsNode) =>
    withApi(async (api) => {
      const runId = await runOf(api, arg, 'Copy Run Id');
      if (!runId) return;
      await vscode.env.clipboard.writeText(runId);
      void vscode.window.setStatusBarMessage(`Copied run id ${runId}`, 3000);
    }),
  );

  register(Commands.openRunArtifacts, (arg?: ExperimentsNode) =>
    withApi(async (api) => {
      const runId = await runOf(api, arg, 'Open Run Artifacts');
      if (!runId) return;
      const { run } = await api.getRun({ run_id: runId });
      if (!run.info.artifact_uri.startsWith('file:')) {
        const remote = ctx.remoteArtifacts();
        if (remote) await browseRemoteArtifacts(remote, run.info);
        else void notify.info(`the artifacts of ${run.info.run_name} are at ${run.info.artifact_uri}, not on this machine.`);
        return;
      }
      const folder = vscode.Uri.file(fileURLToPath(run.info.artifact_uri));
      try {
        await vscode.workspace.fs.createDirectory(folder);
      } catch {
        // Read-only or gone: revealing says so.
      }
      const inWorkspace = vscode.workspace.getWorkspaceFolder(folder) !== undefined;
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', folder);
    }),
  );
}

/**
 * "Open Run Artifacts" for a run on a team server: its files in a QuickPick (one is downloaded
 * into a temporary folder and opened), or every file downloaded into a folder the user picks.
 */
async function browseRemoteArtifacts(remote: RemoteArtifacts, run: RunInfo): Promise<void> {
  const { files } = await listRemoteArtifacts(remote, run.run_id);
  if (files.length === 0) {
    void notify.info(`run ${run.run_name} has no artifacts on the tracking server (${run.artifact_uri}).`);
    return;
  }
  const ALL = '$(cloud-download) Download every file into a folder…';
  const picked = await vscode.window.showQuickPick([ALL, ...files.map((f) => `$(file) ${f}`)], {
    title: `Artifacts of ${run.run_name} on the tracking server`,
    placeHolder: `${run.artifact_uri} · pick a file to download and open it`,
  });
  if (!picked) return;
  if (picked !== ALL) {
    // Opened by its kind, as a click on its row does (artifactCommands.ts).
    await vscode.commands.executeCommand(Commands.openRunArtifact, run.run_id, picked.slice('$(file) '.length));
    return;
  }
  const target = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    title: `Download the artifacts of ${run.run_name} into`,
    openLabel: 'Download here',
  });
  if (!target?.[0]) return;
  const folder = vscode.Uri.joinPath(target[0], run.run_name.replace(/[^\w.-]/g, '_') || run.run_id).fsPath;
  let done = 0;
  try {
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Downloading ${files.length} artifacts of ${run.run_name}`,
        cancellable: true,
      },
      async (progress, cancel) => {
        for (const file of files) {
          if (cancel.isCancellationRequested) return;
          await downloadArtifact(remote, run, file, folder);
          done++;
          progress.report({ increment: 100 / files.length, message: file });
        }
      },
    );
  } catch (error) {
    void notify.error(`downloaded ${done} of ${files.length} artifacts of ${run.run_name} into ${folder}: ${errorMessage(error)}`);
    return;
  }
  const reveal = await notify.info(`downloaded ${done} artifact${done === 1 ? '' : 's'} of ${run.run_name} into ${folder}.`, {
    actions: ['Reveal'],
  });
  if (reveal) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(folder));
}

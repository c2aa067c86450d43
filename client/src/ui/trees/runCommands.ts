import { fileURLToPath } from 'node:url';
import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import type { TrackingApi } from '../../core/tracking/repository';
import type { ExperimentsNode } from '../../core/views/experimentNodes';
import { NOTE_TAG } from '../../core/views/runDetails';
import { notify } from '../notify';
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
        void notify.info(`the artifacts of ${run.info.run_name} are at ${run.info.artifact_uri}.`);
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

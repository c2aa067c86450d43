import * as vscode from 'vscode';
import { errorMessage } from '../../../../common/src/errors';
import { Commands } from '../../../../common/src/ids/commands';
import { prepareReproduction, REPRODUCES_TAG, ReproduceError, type Reproduction } from '../../core/runner/reproduce';
import { readRecord } from '../../core/runner/runRecord';
import type { TrackingApi } from '../../core/tracking/repository';
import type { DisposableTree } from '../disposables';
import { notify } from '../notify';
import type { TrackingSource } from '../trees/trackingSource';
import { pickRun } from '../trees/treeCommandContext';
import type { RunController } from './runController';

// "Reproduce Run" and "Diff Runs" (docs/runner.md, Reproducible runs), on run rows of the
// Experiments view and in the palette.

/** A run's recorded pipeline file, read-only: `mlops-record:/<run id>/<file>`. */
const SCHEME = 'mlops-record';

export interface ReproduceDeps {
  readonly tracking: TrackingSource;
  readonly runs: RunController;
  readonly output: vscode.LogOutputChannel;
}

type RunArg = { kind?: string; row?: { runId: string }; runId?: string } | undefined;
const runIdOf = (arg: RunArg): string | undefined => (arg?.kind === 'run' ? arg.row?.runId : arg?.runId);

export function registerReproduceCommands(tree: DisposableTree, deps: ReproduceDeps): void {
  const register = (id: string, fn: (...args: never[]) => unknown) => tree.track(vscode.commands.registerCommand(id, fn));
  const withApi = async (use: (api: TrackingApi) => Promise<void>) => {
    const api = await deps.tracking.api();
    if (!api) {
      await notify.blocked('the tracking store is not open in this window.');
      return;
    }
    try {
      await use(api);
    } catch (error) {
      if (!(error instanceof ReproduceError)) deps.output.error(errorMessage(error));
      void notify.error(errorMessage(error));
    }
  };

  tree.track(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      provideTextDocumentContent: async (uri) => {
        const api = await deps.tracking.api();
        const runId = uri.path.split('/')[1] ?? '';
        const { run } = await api!.getRun({ run_id: runId });
        return (await readRecord(run.info.artifact_uri))?.pipeline.content ?? `# run ${run.info.run_name} has no run record\n`;
      },
    }),
  );

  register(Commands.reproduceRun, (arg?: RunArg) =>
    withApi(async (api) => {
      if (!vscode.workspace.isTrusted) {
        await notify.blocked('reproducing a run runs its pipeline; nothing runs in Restricted Mode.');
        return;
      }
      const folder = vscode.workspace.workspaceFolders?.[0];
      const runId = runIdOf(arg) ?? (await pickRun(api, 'Reproduce Run'));
      if (!folder || !runId) return;
      let reproduction: Reproduction = await prepareReproduction(api, runId, folder.uri.fsPath);
      const name = reproduction.run.info.run_name;
      const worktree = reproduction.record.git ? 'Check Out in a Worktree' : undefined;
      const choice = await notify.warn(
        reproduction.differences.length
          ? `Reproduce ${name}? Since that run: ${reproduction.differences.join('; ')}.`
          : `Reproduce ${name}? Its pipeline file, inputs, params, commit and version are as they were.`,
        {
          plain: true,
          modal: true,
          detail: 'It runs with the params of that run and the cache off, then compares the metrics.',
          actions: worktree && reproduction.differences.length ? ['Reproduce Anyway', worktree] : ['Reproduce'],
        },
      );
      if (!choice) return;
      if (choice === worktree) reproduction = await prepareReproduction(api, runId, folder.uri.fsPath, { worktree: true });
      await deps.runs.runFromCommand(vscode.Uri.file(reproduction.pipelineFile), {
        params: reproduction.record.params,
        noCache: true,
        onEnded: (result) =>
          void (async () => {
            await api.setTag({ run_id: result.runId, key: REPRODUCES_TAG, value: runId });
            await vscode.commands.executeCommand(Commands.compareRuns, { runId }, [{ runId }, { runId: result.runId }]);
          })().catch((error: unknown) => deps.output.error(`Reproduce Run: ${errorMessage(error)}`)),
      });
    }),
  );

  register(Commands.diffRuns, (arg?: RunArg, selected?: RunArg[]) =>
    withApi(async (api) => {
      let ids = [...new Set((selected ?? (arg ? [arg] : [])).map(runIdOf).filter((id): id is string => !!id))];
      while (ids.length < 2) {
        const picked = await pickRun(api, ids.length ? 'Diff Runs: the run to compare it with' : 'Diff Runs: the first run');
        if (!picked) return;
        ids = [...new Set([...ids, picked])];
      }
      const [a, b] = ids as [string, string];
      const [ra, rb] = await Promise.all([api.getRun({ run_id: a }), api.getRun({ run_id: b })]);
      const file = (await readRecord(ra.run.info.artifact_uri))?.pipeline.file ?? 'pipeline.yaml';
      await vscode.commands.executeCommand(
        'vscode.diff',
        vscode.Uri.from({ scheme: SCHEME, path: `/${a}/${file}` }),
        vscode.Uri.from({ scheme: SCHEME, path: `/${b}/${file}` }),
        `${file}: ${ra.run.info.run_name} ↔ ${rb.run.info.run_name}`,
      );
      // Params and metrics side by side, the differences highlighted.
      await vscode.commands.executeCommand(Commands.compareRuns, { runId: a }, [{ runId: a }, { runId: b }]);
    }),
  );
}

import * as vscode from 'vscode';
import type { TrackingApi } from '../../core/tracking/repository';
import { relativeTime } from '../../core/views/runRows';
import { notify } from '../notify';
import type { RemoteArtifacts } from '../../core/tracking/remote/artifacts';

/** What the tree commands share: registration, the store, and revealing a run in the Experiments view. */
export interface TreeCommandContext {
  register(id: string, fn: (...args: never[]) => unknown): void;
  /** Runs `use` with the open store, or says why there is none; errors become messages. */
  withApi(use: (api: TrackingApi) => Promise<void>): Promise<void>;
  revealRun(runId: string): Promise<void>;
  /** A team server's artifacts (listing, downloads); undefined with the workspace database. */
  remoteArtifacts(): RemoteArtifacts | undefined;
}

/** What a command that needs a run says when the store has none. */
export const NO_RUNS = 'no runs yet. Run a pipeline, or point mlflow code at the workspace endpoint.';

/** Recent runs across experiments, newest first, for commands started from the palette. */
export async function pickRun(api: TrackingApi, title: string): Promise<string | undefined> {
  const { experiments } = await api.searchExperiments({ max_results: 1000 });
  const names = new Map(experiments.map((e) => [e.experiment_id, e.name]));
  const { runs } = await api.searchRuns({
    experiment_ids: experiments.map((e) => e.experiment_id),
    max_results: 200,
    order_by: ['attributes.start_time DESC'],
  });
  if (runs.length === 0) {
    void notify.info(NO_RUNS);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: r.info.run_name,
      description: `${r.info.status.toLowerCase()} · ${names.get(r.info.experiment_id) ?? r.info.experiment_id}`,
      detail: `${r.info.start_time ? relativeTime(r.info.start_time, Date.now()) : ''} · ${r.info.run_id}`,
      runId: r.info.run_id,
    })),
    { title, placeHolder: 'Run', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.runId;
}

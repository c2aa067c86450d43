import { checkTrackingUri } from '../../core/tracking/choice';
import { remoteStoreFromEnv } from '../../core/tracking/remote/remoteStore';
import { openTrackingAccess, type TrackingAccess } from '../../core/tracking/rest/access';
import { copyModels } from '../../core/tracking/transfer/copyModels';
import { copyRuns, type CopyProgress } from '../../core/tracking/transfer/copyRuns';
import { serverSide, workspaceSide, type StoreSide } from '../../core/tracking/transfer/sides';
import type { CliIO } from '../command';
import { retryNotice } from './trackingAccess';

/** The workspace store, opened for a copy (never a team server, whatever MLFLOW_TRACKING_URI says). */
export async function openWorkspaceSide(workspaceDir: string, io: CliIO): Promise<{ side: StoreSide; access: TrackingAccess }> {
  const access = await openTrackingAccess(workspaceDir, { onRetry: retryNotice(io), trackingUri: 'workspace' });
  return { side: workspaceSide(access.api, workspaceDir), access };
}

export function openServerSide(uri: string, option: string, io: CliIO): StoreSide {
  const url = checkTrackingUri(uri, option);
  return serverSide(remoteStoreFromEnv(url, process.env, { onRetry: retryNotice(io) }));
}

/** Copies runs (and models), printing progress on stderr and a summary on stdout. */
export async function copyBetween(
  verb: 'push' | 'pull',
  source: StoreSide,
  target: StoreSide,
  options: { experiments?: string[]; models: boolean },
  io: CliIO,
): Promise<void> {
  const started = Date.now();
  let last = 0;
  const onProgress = (p: CopyProgress) => {
    if (p.done === p.total || Date.now() - last > 1000) {
      last = Date.now();
      io.err(`mlops ${verb}: ${p.experiment}: ${p.done}/${p.total} runs\n`);
    }
  };
  const runs = await copyRuns(source, target, { ...(options.experiments ? { experiments: options.experiments } : {}), onProgress });
  const seconds = (Date.now() - started) / 1000;
  io.out(
    `${verb === 'push' ? 'Pushed' : 'Pulled'} ${runs.copied} run${runs.copied === 1 ? '' : 's'} of ${runs.experiments} experiment${runs.experiments === 1 ? '' : 's'} ` +
      `(${runs.points.toLocaleString('en-US')} metric points, ${runs.files} artifact files) to ${target.label} in ${seconds.toFixed(1)} s` +
      `${runs.copied > 0 ? ` (${(runs.copied / Math.max(seconds, 0.001)).toFixed(0)} runs/s)` : ''}; ${runs.skipped} already there.\n`,
  );
  if (options.models) {
    const models = await copyModels(source, target, runs.runMap);
    io.out(`Models: ${models.models}, versions copied ${models.copied}, already there ${models.skipped}.\n`);
  }
}

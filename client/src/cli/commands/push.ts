import { UsageError } from '../../core/errors';
import { drainAbandoned, pendingCount } from '../../core/tracking/remote/outbox';
import { Exit, type CliCommand } from '../command';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import { retryNotice, TRACKING_URI_OPTION, trackingUriOf, WORKSPACE_OPTION, workspaceOf } from './trackingAccess';

export const pushCommand: CliCommand = {
  name: 'push',
  summary: "Send what waits in the workspace's outbox to a team's MLflow server.",
  usage: 'mlops push --outbox [--tracking-uri URI] [--workspace DIR]',
  details: [
    'When a team server (--tracking-uri or MLFLOW_TRACKING_URI) does not take a write, mlops run and the',
    'editor keep it in .mlops/outbox and send it, in order, once the server answers. --outbox sends',
    'what processes that have ended left there now. Exit code 0 when nothing is left, 1 otherwise.',
  ].join('\n'),
  options: {
    outbox: { type: 'boolean', description: "Send the outbox's waiting writes" },
    workspace: WORKSPACE_OPTION,
    'tracking-uri': TRACKING_URI_OPTION,
  },
  examples: ['mlops push --outbox --tracking-uri https://mlflow.example.com'],
  async run(values, _positionals, io) {
    if (!values.outbox) throw new UsageError('say what to push: --outbox');
    const workspaceDir = workspaceOf(values, io.cwd);
    const access = await openTrackingAccess(workspaceDir, { onRetry: retryNotice(io), ...trackingUriOf(values) });
    try {
      if (!access.remote)
        throw new UsageError('the outbox holds writes for a team server: give it with --tracking-uri or MLFLOW_TRACKING_URI');
      const url = access.remote.url;
      const before = pendingCount(workspaceDir, url);
      if (before === 0) {
        io.out(`Nothing waits in .mlops/outbox for ${url}.\n`);
        return Exit.ok;
      }
      const result = await drainAbandoned(access.api, workspaceDir, url);
      io.out(`Sent ${result.sent} of ${before} waiting write${before === 1 ? '' : 's'} to ${url}.\n`);
      const left = pendingCount(workspaceDir, url);
      if (left > 0) {
        io.err(
          `mlops push: ${left} write${left === 1 ? '' : 's'} still wait${result.error ? `: ${result.error}` : ' (their process is still running)'}\n`,
        );
        return Exit.problems;
      }
      return Exit.ok;
    } finally {
      await access.close();
    }
  },
};

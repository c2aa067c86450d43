import { UsageError } from '../../core/errors';
import { drainAbandoned, pendingCount } from '../../core/tracking/remote/outbox';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import { Exit, type CliCommand } from '../command';
import { retryNotice, TRACKING_URI_OPTION, trackingUriOf, WORKSPACE_OPTION, workspaceOf } from './trackingAccess';
import { copyBetween, openServerSide, openWorkspaceSide } from './transferSides';

export const pushCommand: CliCommand = {
  name: 'push',
  summary: "Copy workspace runs and models to a team's MLflow server, or send the outbox.",
  usage: 'mlops push (--to URI [--experiment NAME]... [--models] | --outbox [--tracking-uri URI]) [--workspace DIR]',
  details: [
    '--to copies the runs of the workspace (all active experiments, or the ones named) with params, tags,',
    'every metric point, datasets and artifacts, and with --models the registered models, their versions,',
    'stages and aliases. It can be run again: the tag mlops.sourceRunId finds what is already there, and',
    'an interrupted push resumes. Progress goes to stderr.',
    'When a team server does not take a write, mlops run keeps it in .mlops/outbox and sends it, in order,',
    'once the server answers; --outbox sends what processes that have ended left there now.',
    'Exit code 0 when everything arrived, 1 otherwise.',
  ].join('\n'),
  options: {
    to: { type: 'string', value: 'URI', description: "The team's MLflow tracking server" },
    experiment: { type: 'string', value: 'NAME', multiple: true, description: 'Only this experiment (default: every active one)' },
    models: { type: 'boolean', description: 'Also copy the registered models' },
    outbox: { type: 'boolean', description: "Send the outbox's waiting writes" },
    workspace: WORKSPACE_OPTION,
    'tracking-uri': TRACKING_URI_OPTION,
  },
  examples: [
    'mlops push --to https://mlflow.example.com --experiment customer_churn_prediction --models',
    'mlops push --outbox --tracking-uri https://mlflow.example.com',
  ],
  async run(values, _positionals, io) {
    const workspaceDir = workspaceOf(values, io.cwd);
    if (typeof values.to === 'string') {
      if (values.outbox) throw new UsageError('give --to or --outbox, not both');
      const target = openServerSide(values.to, '--to', io);
      const { side, access } = await openWorkspaceSide(workspaceDir, io);
      try {
        const experiments = values.experiment as string[] | undefined;
        await copyBetween('push', side, target, { ...(experiments ? { experiments } : {}), models: Boolean(values.models) }, io);
        return Exit.ok;
      } finally {
        await access.close();
      }
    }
    if (!values.outbox) throw new UsageError('say what to push: --to URI, or --outbox');
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

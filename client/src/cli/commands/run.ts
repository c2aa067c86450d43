import * as path from 'node:path';
import { UsageError } from '../../core/errors';
import {
  formatMs,
  formatSummary,
  ParamError,
  parseParamArgs,
  PipelineInvalidError,
  recoverAbandonedRuns,
  runPipeline,
  type RunEvent,
} from '../../core/runner';
import { compareMetrics, prepareReproduction, ReproduceError, REPRODUCES_TAG, type Reproduction } from '../../core/runner/reproduce';
import type { RunnerTracking } from '../../core/runner/types';
import type { Run } from '../../core/tracking/repository';
import { credentialsFromEnv } from '../../core/tracking/choice';
import { drainAbandoned, SpoolingApi } from '../../core/tracking/remote/outbox';
import { remoteStoreFromEnv } from '../../core/tracking/remote/remoteStore';
import { errorMessage } from '../../../../common/src/errors';
import { trackingChoiceFor } from '../../core/tracking/rest/access';
import { serveWorkspace, type WorkspaceTracking } from '../../core/tracking/workspaceServer';
import { Exit, type CliCommand, type CliIO } from '../command';
import { JSON_OPTION, retryNotice, TRACKING_URI_OPTION, trackingUriOf, WORKSPACE_OPTION, workspaceOf } from './trackingAccess';

/** The workspace's endpoint (served here, or joined), or a team's MLflow server from --tracking-uri / MLFLOW_TRACKING_URI. */
async function runnerTracking(
  values: Record<string, unknown>,
  workspaceDir: string,
  io: CliIO,
): Promise<WorkspaceTracking | (RunnerTracking & { close(): Promise<void> })> {
  const choice = trackingChoiceFor(workspaceDir, trackingUriOf(values).trackingUri, process.env);
  if (choice.kind === 'workspace') return serveWorkspace({ workspaceDir, joinPeer: true });
  const remote = remoteStoreFromEnv(choice.url, process.env, { onRetry: retryNotice(io) });
  const auth = credentialsFromEnv(process.env);
  const left = await drainAbandoned(remote.api, workspaceDir, remote.url).catch((error: unknown) => ({
    sent: 0,
    left: -1,
    error: errorMessage(error),
  }));
  if (left.sent > 0) io.err(`mlops run: sent ${left.sent} write${left.sent === 1 ? '' : 's'} an earlier run left in .mlops/outbox\n`);
  if (left.left !== 0) io.err(`mlops run: writes still wait in .mlops/outbox (${left.error ?? 'unknown error'})\n`);
  let warned = false;
  const spool = new SpoolingApi(remote.api, workspaceDir, remote.url, ({ error }) => {
    if (warned) return;
    warned = true;
    io.err(`mlops run: the tracking server did not take a write (${error}); keeping writes in .mlops/outbox until it does\n`);
  });
  return {
    api: spool.api,
    url: remote.url,
    ...(auth ? { auth } : {}),
    remote: { artifacts: remote.artifacts },
    close: async () => {
      if (spool.pending > 0) await spool.flush();
      spool.dispose();
      if (spool.pending > 0)
        io.err(
          `mlops run: ${spool.pending} write${spool.pending === 1 ? '' : 's'} wait in .mlops/outbox for ${remote.url}; the next mlops run, the editor or 'mlops push --outbox' sends them\n`,
        );
    },
  };
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Run a pipeline file, tracked in the workspace store (what CI runs).',
  usage:
    'mlops run <file> [--param k=v]... [--step s]... [--no-cache] [--max-parallel N] [--json] [--quiet] [--workspace DIR] [--tracking-uri URI]',
  details: [
    'Runs the steps as a DAG, in parallel where they do not depend on each other, with caching,',
    'retries and timeouts as the file says. Logs go to .mlops/runs/<run>/<step>.log. The run is',
    "recorded in the workspace's tracking store: through the editor's endpoint when one is live,",
    'in the database directly otherwise; on a team MLflow server with --tracking-uri or MLFLOW_TRACKING_URI',
    '(each step a nested run, logs, outputs and the model uploaded as artifacts). Exit code 0 when the run finishes, 1 when it fails or is',
    'cancelled (Ctrl+C kills every step process), 2 for bad usage or a bad param.',
  ].join('\n'),
  options: {
    param: { type: 'string', multiple: true, value: 'NAME=VALUE', description: 'Override a param default' },
    step: {
      type: 'string',
      multiple: true,
      value: 'STEP',
      description: 'Run only this step, plus the steps it needs whose outputs are missing',
    },
    'no-cache': { type: 'boolean', description: 'Run every step even when a cached execution matches' },
    'max-parallel': { type: 'string', value: 'N', description: 'Steps running at once (default: the number of CPUs)' },
    json: { ...JSON_OPTION, description: 'Print every run event as a JSON line' },
    reproduce: {
      type: 'string',
      value: 'RUN_ID',
      description: 'Run that run again: its pipeline and params, cache off; says what changed since',
    },
    worktree: { type: 'boolean', description: "With --reproduce: run in a git worktree at that run's commit" },
    quiet: { type: 'boolean', short: 'q', description: "Don't print the steps' output, only progress" },
    workspace: WORKSPACE_OPTION,
    'tracking-uri': TRACKING_URI_OPTION,
  },
  examples: [
    'mlops run samples/churn/churn.pipeline.yaml',
    'mlops run churn.pipeline.yaml --param n_estimators=200 --param model_kind=logreg',
    'mlops run churn.pipeline.yaml --step evaluate --json',
  ],
  async run(values, positionals, io) {
    const reproduce = values.reproduce as string | undefined;
    if (reproduce !== undefined ? positionals.length > 0 : positionals.length !== 1)
      throw new UsageError(
        reproduce !== undefined
          ? `mlops run --reproduce takes the run's pipeline from its record, not ${positionals.join(' ')}`
          : `mlops run takes one pipeline file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
      );
    if (values.worktree && reproduce === undefined) throw new UsageError('--worktree goes with --reproduce RUN_ID');
    let file = reproduce === undefined ? path.resolve(io.cwd, positionals[0]!) : '';
    let params: Record<string, string | number | boolean>;
    try {
      params = parseParamArgs((values.param as string[] | undefined) ?? []);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (reproduce !== undefined && Object.keys(params).length)
      throw new UsageError('--reproduce runs with the params of that run: no --param');
    const maxParallel = values['max-parallel'] === undefined ? undefined : Number(values['max-parallel']);
    if (maxParallel !== undefined && (!Number.isInteger(maxParallel) || maxParallel < 1))
      throw new UsageError(`--max-parallel must be a whole number of at least 1, got '${String(values['max-parallel'])}'`);

    const workspaceDir = workspaceOf(values, io.cwd);
    const tracking = await runnerTracking(values, workspaceDir, io);
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      if ('role' in tracking && tracking.role === 'owner') {
        const ended = await recoverAbandonedRuns(tracking.api);
        if (ended > 0 && !values.json)
          io.err(`mlops run: marked ${ended} run${ended === 1 ? '' : 's'} left RUNNING by a stopped runner as FAILED\n`);
      }
      let reproduction: Reproduction | undefined;
      if (reproduce !== undefined) {
        reproduction = await prepareReproduction(tracking.api, reproduce, workspaceDir, { worktree: values.worktree === true });
        file = reproduction.pipelineFile;
        params = { ...reproduction.record.params };
        io.err(reproductionLines(reproduction).join('\n') + '\n');
      }
      const render = values.json ? (e: RunEvent) => io.out(`${JSON.stringify(e)}\n`) : progressPrinter(io, Boolean(values.quiet));
      const result = await runPipeline(
        {
          pipelineFile: file,
          workspaceDir,
          params,
          ...(values.step ? { steps: values.step as string[] } : {}),
          noCache: Boolean(values['no-cache']) || reproduction !== undefined,
          ...(maxParallel ? { maxParallel } : {}),
          tracking,
          signal: abort.signal,
        },
        render,
      );
      if (!values.json) io.out(`\n${formatSummary(result).join('\n')}\n`);
      if (reproduction) {
        await tracking.api.setTag({ run_id: result.runId, key: REPRODUCES_TAG, value: reproduction.run.info.run_id });
        const { run: again } = await tracking.api.getRun({ run_id: result.runId });
        io.out(`\n${metricLines(reproduction.run, again).join('\n')}\n`);
      }
      return result.status === 'FINISHED' ? Exit.ok : Exit.problems;
    } catch (error) {
      if (error instanceof ParamError) {
        io.err(`mlops run: ${error.message}\n`);
        return Exit.usage;
      }
      if (error instanceof ReproduceError) {
        io.err(`mlops run: ${error.message}\n`);
        return Exit.problems;
      }
      if (error instanceof PipelineInvalidError) {
        io.err(`mlops run: ${error.message}\n`);
        return Exit.problems;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await tracking.close();
    }
  },
};

/** One line per step event, and the steps' output prefixed with the step name. */
function progressPrinter(io: CliIO, quiet: boolean): (event: RunEvent) => void {
  const partial = new Map<string, string>();
  const flush = (step: string) => {
    const rest = partial.get(step);
    if (rest) io.out(`  ${step} | ${rest}\n`);
    partial.delete(step);
  };
  return (event) => {
    switch (event.type) {
      case 'run-started':
        io.out(
          `${event.pipeline}: run ${event.runName} (${event.runId}) in experiment ${event.experimentName}, ${event.steps.length} step${event.steps.length === 1 ? '' : 's'}: ${event.steps.join(', ')}\n`,
        );
        return;
      case 'step-started':
        io.out(`> ${event.step} started${event.maxAttempts > 1 ? ` (attempt ${event.attempt}/${event.maxAttempts})` : ''}\n`);
        return;
      case 'step-output': {
        if (quiet) return;
        const lines = ((partial.get(event.step) ?? '') + event.text).split(/\r?\n/);
        partial.set(event.step, lines.pop() ?? '');
        for (const line of lines) io.out(`  ${event.step} | ${line}\n`);
        return;
      }
      case 'step-retry':
        io.out(`~ ${event.step} retrying (attempt ${event.attempt}/${event.maxAttempts}): ${event.reason}\n`);
        return;
      case 'step-finished':
        flush(event.step);
        if (event.cachedFrom) io.out(`= ${event.step} cached (reused run ${event.cachedFrom})\n`);
        else if (event.status === 'SUCCEEDED') io.out(`✓ ${event.step} succeeded in ${formatMs(event.durationMs)}\n`);
        else
          io.out(
            `✗ ${event.step} ${event.status.toLowerCase()}${event.message ? `: ${event.message}` : ''}${event.logPath && event.status === 'FAILED' ? ` (log: ${event.logPath})` : ''}\n`,
          );
        return;
      case 'metric':
        // Live metrics can come by the thousand; the summary prints the latest of each.
        return;
      case 'warning':
        io.err(`warning${event.step ? ` (${event.step})` : ''}: ${event.message}\n`);
        return;
      case 'registered':
        return;
      case 'register-skipped':
        return;
      case 'run-finished':
        return;
    }
  };
}

/** What reproducing a run will meet: the differences from its record, or that there are none. */
function reproductionLines(r: Reproduction): string[] {
  const name = `${r.run.info.run_name} (${r.run.info.run_id})`;
  const head = r.worktree ? [`mlops run: in a worktree at ${r.record.git!.commit.slice(0, 12)}: ${r.worktree}`] : [];
  if (r.differences.length === 0)
    return [
      ...head,
      `mlops run: reproducing ${name}: its pipeline file, ${Object.keys(r.record.inputs).length} inputs, params, commit and version are as they were; cache off`,
    ];
  return [
    ...head,
    `mlops run: reproducing ${name}; since that run:`,
    ...r.differences.map((d) => `  - ${d}`),
    'mlops run: running with its params anyway, cache off',
  ];
}

/** The two runs' metrics side by side. */
function metricLines(before: Run, after: Run): string[] {
  const rows = compareMetrics(before, after);
  const fmt = (v: number | undefined) => (v === undefined ? '-' : String(Number(v.toPrecision(6))));
  const width = Math.max(6, ...rows.map((r) => r.key.length));
  const lines = [`${'metric'.padEnd(width)}  ${before.info.run_name.padEnd(14)}  ${after.info.run_name.padEnd(14)}  `];
  for (const r of rows)
    lines.push(`${r.key.padEnd(width)}  ${fmt(r.before).padEnd(14)}  ${fmt(r.after).padEnd(14)}  ${r.same ? 'same' : 'differs'}`);
  const differing = rows.filter((r) => !r.same).length;
  lines.push(
    differing
      ? `${differing} of ${rows.length} metrics differ from ${before.info.run_name}`
      : `every metric equals ${before.info.run_name}'s`,
  );
  return lines;
}

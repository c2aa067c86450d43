import * as path from 'node:path';
import { errorMessage } from '../../../../common/src/errors';
import { UsageError } from '../../core/errors';
import { checkMonitor, formatMonitorResult, MonitorInvalidError, type MonitorCheck } from '../../core/monitor';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import { Exit, type CliCommand } from '../command';
import { JSON_OPTION, retryNotice, TRACKING_URI_OPTION, trackingUriOf, WORKSPACE_OPTION, workspaceOf } from './trackingAccess';

export const monitorCommand: CliCommand = {
  name: 'monitor',
  summary: 'Check a monitor file: data drift, performance against the baseline, the verdict.',
  usage: 'mlops monitor <file> [--json] [--workspace DIR] [--tracking-uri URI]',
  details: [
    'Reads the monitor file (any error stops it), compares `current` with `reference` column by column,',
    "and, with `performance`, the live metrics with the watched model version's (or a run's) metrics.",
    "The result is recorded in the workspace tracking store (.mlops/), in the monitor's history;",
    'when the store cannot be reached the result is still printed.',
    'Exit status: 0 no drift, 1 dataset drift or a performance alert (or the file has errors),',
    '2 bad usage or missing data files.',
  ].join('\n'),
  options: { json: JSON_OPTION, workspace: WORKSPACE_OPTION, 'tracking-uri': TRACKING_URI_OPTION },
  examples: ['mlops monitor churn.monitor.yaml', 'mlops monitor monitors/churn.monitor.yaml --json --workspace .'],
  async run(values, positionals, io) {
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length ? `give one monitor file, not ${positionals.length}` : 'give a monitor file (*.monitor.yaml)',
      );
    const file = path.resolve(io.cwd, positionals[0]!);
    if (!/\.monitor\.ya?ml$/i.test(file))
      throw new UsageError(`${positionals[0]} is not a monitor file: names end in .monitor.yaml or .monitor.yml`);
    let access: Awaited<ReturnType<typeof openTrackingAccess>> | undefined;
    let storeProblem: string | undefined;
    try {
      access = await openTrackingAccess(workspaceOf(values, io.cwd), { onRetry: retryNotice(io), ...trackingUriOf(values) });
    } catch (error) {
      storeProblem = errorMessage(error);
    }
    let check: MonitorCheck;
    try {
      check = await checkMonitor(file, { ...(access ? { api: access.api } : {}) });
    } catch (error) {
      if (error instanceof MonitorInvalidError) {
        io.err(`mlops monitor: ${error.message}\n`);
        return Exit.problems;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`no such file: ${positionals[0]}`);
      throw error;
    } finally {
      await access?.close().catch(() => undefined);
    }
    const { result } = check;
    const notRecorded = storeProblem ?? check.recordError;
    if (values.json === true) io.out(JSON.stringify({ ...result, recorded: check.recorded }, null, 2) + '\n');
    else io.out(formatMonitorResult(result));
    if (notRecorded) io.err(`mlops monitor: the result was not recorded in the tracking store: ${notRecorded}\n`);
    if (result.status === 'error') {
      io.err(`mlops monitor: ${result.error}\n`);
      return Exit.usage;
    }
    return result.status === 'drift' ? Exit.problems : Exit.ok;
  },
};

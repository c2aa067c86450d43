import { UsageError } from '../../core/errors';
import { MlrunsFormatError } from '../../core/tracking/mlruns/fileStore';
import { importMlruns, UnknownExperimentError } from '../../core/tracking/mlruns/importMlruns';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import { Exit, type CliCommand, type CliGroup } from '../command';
import { retryNotice, WORKSPACE_OPTION, workspaceOf } from './trackingAccess';

const mlrunsCommand: CliCommand = {
  name: 'mlruns',
  summary: "Read an MLflow file store (an mlruns folder) into the workspace's store.",
  usage: 'mlops import mlruns <dir> [--experiment NAME]... [--workspace DIR]',
  details: [
    'Brings in the active experiments of <dir> (or the ones named) with their runs under the same run ids:',
    'names, times, status, params, tags, every metric point and the artifact files; then the registered',
    'models of <dir>/models with their version numbers, stages, aliases and tags (with --experiment, only',
    'the versions made from runs of those experiments). Deleted experiments (.trash) are left out.',
    'It can be run again: a run that an earlier import completed carries the tag mlops.importedFrom and is',
    'left alone, and an interrupted import resumes. Always the workspace store, whatever',
    'MLFLOW_TRACKING_URI says; to put the runs on a team server afterwards, use mlops push.',
  ].join('\n'),
  options: {
    experiment: { type: 'string', value: 'NAME', multiple: true, description: 'Only this experiment (default: every active one)' },
    workspace: WORKSPACE_OPTION,
  },
  examples: ['mlops import mlruns ./mlruns', 'mlops import mlruns ~/old-project/mlruns --experiment churn'],
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new UsageError(`give one mlruns folder${positionals.length ? `, not ${positionals.length}` : ''}`);
    const dir = positionals[0]!;
    const access = await openTrackingAccess(workspaceOf(values, io.cwd), { onRetry: retryNotice(io), trackingUri: 'workspace' });
    const started = Date.now();
    let last = 0;
    try {
      const experiments = values.experiment as string[] | undefined;
      const report = await importMlruns(access.api, dir, {
        ...(experiments ? { experiments } : {}),
        onProgress: (p) => {
          if (p.done === p.total || Date.now() - last > 1000) {
            last = Date.now();
            io.err(`mlops import: ${p.experiment}: ${p.done}/${p.total} runs\n`);
          }
        },
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      io.out(
        `Imported ${report.runs} run${report.runs === 1 ? '' : 's'} of ${report.experiments} experiment${report.experiments === 1 ? '' : 's'} ` +
          `(${report.points.toLocaleString('en-US')} metric points, ${report.files} artifact files) in ${seconds} s; ${report.skipped} already there.\n` +
          `Models: ${report.models}, versions added ${report.versions}.\n`,
      );
      if (report.deletedExperiments.length)
        io.out(
          `Left out deleted experiment${report.deletedExperiments.length === 1 ? '' : 's'}: ${report.deletedExperiments.join(', ')}.\n`,
        );
      if (report.missingArtifacts)
        io.err(
          `mlops import: ${report.missingArtifacts} run${report.missingArtifacts === 1 ? "'s" : "s'"} artifacts are not on this machine; their runs came without files\n`,
        );
      return Exit.ok;
    } catch (error) {
      if (error instanceof MlrunsFormatError || error instanceof UnknownExperimentError) throw new UsageError(error.message);
      throw error;
    } finally {
      await access.close();
    }
  },
};

export const importCommand: CliGroup = {
  name: 'import',
  summary: 'Bring runs and models from elsewhere into the workspace store.',
  subcommands: [mlrunsCommand],
};

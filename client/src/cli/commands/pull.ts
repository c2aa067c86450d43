import { UsageError } from '../../core/errors';
import { Exit, type CliCommand } from '../command';
import { WORKSPACE_OPTION, workspaceOf } from './trackingAccess';
import { copyBetween, openServerSide, openWorkspaceSide } from './transferSides';

export const pullCommand: CliCommand = {
  name: 'pull',
  summary: "Copy experiments (and models) from a team's MLflow server into the workspace, to work offline.",
  usage: 'mlops pull --from URI --experiment NAME... [--models] [--workspace DIR]',
  details: [
    'The reverse of mlops push --to: the runs of the named experiments with params, tags, every metric',
    'point, datasets and artifacts, and with --models the registered models. Run it again to fetch what',
    'is new: the tag mlops.sourceRunId finds what is already here.',
  ].join('\n'),
  options: {
    from: { type: 'string', value: 'URI', description: "The team's MLflow tracking server" },
    experiment: { type: 'string', value: 'NAME', multiple: true, description: 'An experiment to copy (at least one)' },
    models: { type: 'boolean', description: 'Also copy the registered models' },
    workspace: WORKSPACE_OPTION,
  },
  examples: ['mlops pull --from https://mlflow.example.com --experiment customer_churn_prediction --models'],
  async run(values, _positionals, io) {
    if (typeof values.from !== 'string') throw new UsageError('give the server to pull from: --from URI');
    const experiments = values.experiment as string[] | undefined;
    if (!experiments || experiments.length === 0) throw new UsageError('name the experiments to pull: --experiment NAME');
    const source = openServerSide(values.from, '--from', io);
    const { side, access } = await openWorkspaceSide(workspaceOf(values, io.cwd), io);
    try {
      await copyBetween('pull', source, side, { experiments, models: Boolean(values.models) }, io);
      return Exit.ok;
    } finally {
      await access.close();
    }
  },
};

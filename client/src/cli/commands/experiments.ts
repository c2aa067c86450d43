import { Exit, table, type CliGroup } from '../command';
import { JSON_OPTION, time, TRACKING_URI_OPTION, WORKSPACE_OPTION, withTracking } from './trackingAccess';

export const experimentsCommand: CliGroup = {
  name: 'experiments',
  summary: 'List the experiments of the workspace tracking store.',
  subcommands: [
    {
      name: 'list',
      summary: 'List experiments (active ones, or --all).',
      usage: 'mlops experiments list [--all] [--json] [--workspace DIR] [--tracking-uri URI]',
      options: {
        all: { type: 'boolean', description: 'Include deleted experiments' },
        json: JSON_OPTION,
        workspace: WORKSPACE_OPTION,
        'tracking-uri': TRACKING_URI_OPTION,
      },
      async run(values, _positionals, io) {
        return withTracking(values, io, async (api) => {
          const { experiments } = await api.searchExperiments({
            view_type: values.all === true ? 'ALL' : 'ACTIVE_ONLY',
            max_results: 50000,
            order_by: ['experiment_id ASC'],
          });
          if (values.json === true) io.out(JSON.stringify(experiments, null, 2) + '\n');
          else
            io.out(
              table(
                ['ID', 'NAME', 'STAGE', 'CREATED'],
                experiments.map((e) => [e.experiment_id, e.name, e.lifecycle_stage, time(e.creation_time)]),
              ),
            );
          return Exit.ok;
        });
      },
    },
  ],
};

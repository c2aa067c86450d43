import * as path from 'node:path';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import { Exit, table, type CliGroup } from '../command';

export const WORKSPACE_OPTION = { type: 'string', value: 'DIR', description: 'Workspace folder (default: the current folder)' } as const;
export const JSON_OPTION = { type: 'boolean', description: 'Print JSON instead of a table' } as const;

export function workspaceOf(values: Record<string, unknown>, cwd: string): string {
  return path.resolve(cwd, typeof values.workspace === 'string' ? values.workspace : '.');
}

export function time(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export const experimentsCommand: CliGroup = {
  name: 'experiments',
  summary: 'List the experiments of the workspace tracking store.',
  subcommands: [
    {
      name: 'list',
      summary: 'List experiments (active ones, or --all).',
      usage: 'mlops experiments list [--all] [--json] [--workspace DIR]',
      options: { all: { type: 'boolean', description: 'Include deleted experiments' }, json: JSON_OPTION, workspace: WORKSPACE_OPTION },
      async run(values, _positionals, io) {
        const access = await openTrackingAccess(workspaceOf(values, io.cwd));
        try {
          const { experiments } = await access.api.searchExperiments({ view_type: values.all === true ? 'ALL' : 'ACTIVE_ONLY', max_results: 50000, order_by: ['experiment_id ASC'] });
          if (values.json === true) io.out(JSON.stringify(experiments, null, 2) + '\n');
          else io.out(table(['ID', 'NAME', 'STAGE', 'CREATED'], experiments.map((e) => [e.experiment_id, e.name, e.lifecycle_stage, time(e.creation_time)])));
          return Exit.ok;
        } finally {
          await access.close();
        }
      },
    },
  ],
};

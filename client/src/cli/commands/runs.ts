import { UsageError } from '../../core/errors';
import type { Run, TrackingApi } from '../../core/tracking/repository';
import { Exit, table, type CliGroup } from '../command';
import { JSON_OPTION, time, TRACKING_URI_OPTION, WORKSPACE_OPTION, withTracking } from './trackingAccess';
import { watchRuns } from './runsWatch';

const metricText = (v: number | string) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : v);

const RUN_HEADER = ['RUN ID', 'NAME', 'EXPERIMENT', 'STATUS', 'STARTED', 'METRICS'];
const runRow = (r: Run) => [
  r.info.run_id,
  r.info.run_name,
  r.info.experiment_id,
  r.info.status,
  time(r.info.start_time),
  r.data.metrics.map((m) => `${m.key}=${metricText(m.value)}`).join(' '),
];

export const runsCommand: CliGroup = {
  name: 'runs',
  summary: 'List and show the runs of the workspace tracking store.',
  subcommands: [
    {
      name: 'list',
      summary: 'List runs, newest first, with MLflow filters and ordering.',
      usage: 'mlops runs list [--experiment NAME] [--filter EXPR] [--order-by CLAUSE] [--max N] [--json] [--watch]',
      details: [
        "Filters use MLflow's syntax: metrics.auc > 0.9 and params.n_estimators = '100'.",
        '--watch prints the list, then a row for every run that appears (+), changes (~) or leaves the list (-)',
        "as other processes write, until Ctrl+C; it follows the store's change events (with --json: one JSON",
        'object a line). While watching a free workspace store, this process serves it as mlops serve does.',
      ].join('\n'),
      options: {
        experiment: { type: 'string', value: 'NAME', description: 'Only this experiment (default: all active ones)' },
        filter: { type: 'string', value: 'EXPR', description: 'An MLflow search filter' },
        'order-by': { type: 'string', value: 'CLAUSE', multiple: true, description: "An order such as 'metrics.auc DESC'" },
        max: { type: 'string', value: 'N', description: 'At most N runs (default 100)' },
        json: JSON_OPTION,
        watch: { type: 'boolean', description: 'Keep following the store and print runs as they appear or change (Ctrl+C stops)' },
        workspace: WORKSPACE_OPTION,
        'tracking-uri': TRACKING_URI_OPTION,
      },
      examples: [
        'mlops runs list --experiment customer_churn_prediction --filter "metrics.auc > 0.9" --order-by \'metrics.auc DESC\'',
        'mlops runs list --watch',
      ],
      async run(values, _positionals, io) {
        const max = values.max === undefined ? 100 : Number(values.max);
        if (!Number.isInteger(max) || max <= 0) throw new UsageError(`--max must be a positive number, got '${String(values.max)}'`);
        const list = async (api: TrackingApi): Promise<Run[]> => {
          const experimentIds =
            typeof values.experiment === 'string'
              ? [(await api.getExperimentByName({ experiment_name: values.experiment })).experiment.experiment_id]
              : (await api.searchExperiments({ max_results: 50000 })).experiments.map((e) => e.experiment_id);
          const { runs } = await api.searchRuns({
            experiment_ids: experimentIds,
            filter: typeof values.filter === 'string' ? values.filter : undefined,
            order_by: Array.isArray(values['order-by']) ? (values['order-by'] as string[]) : undefined,
            max_results: max,
          });
          return runs;
        };
        if (values.watch === true) return watchRuns(values, io, { header: RUN_HEADER, row: runRow, list, json: values.json === true });
        return withTracking(values, io, async (api) => {
          const runs = await list(api);
          if (values.json === true) io.out(JSON.stringify(runs, null, 2) + '\n');
          else io.out(table(RUN_HEADER, runs.map(runRow)));
          return Exit.ok;
        });
      },
    },
    {
      name: 'show',
      summary: 'Show one run: its info, params, metrics, tags and pipeline steps.',
      usage: 'mlops runs show RUN_ID [--json] [--workspace DIR] [--tracking-uri URI]',
      options: { json: JSON_OPTION, workspace: WORKSPACE_OPTION, 'tracking-uri': TRACKING_URI_OPTION },
      async run(values, positionals, io) {
        const [runId, extra] = positionals;
        if (!runId || extra !== undefined) throw new UsageError('expected exactly one RUN_ID');
        return withTracking(values, io, async (api) => {
          const { run } = await api.getRun({ run_id: runId });
          const { steps } = await api.listSteps({ run_id: runId });
          if (values.json === true) {
            io.out(JSON.stringify({ ...run, steps }, null, 2) + '\n');
            return Exit.ok;
          }
          io.out(describeRun(run));
          if (steps.length)
            io.out(
              '\nSteps\n' +
                table(
                  ['STEP', 'STATUS', 'EXIT', 'CACHED', 'LOG'],
                  steps.map((s) => [
                    s.step_id,
                    s.status,
                    s.exit_code === undefined ? '' : String(s.exit_code),
                    s.cached ? 'yes' : '',
                    s.log_path ?? '',
                  ]),
                ),
            );
          return Exit.ok;
        });
      },
    },
  ],
};

function describeRun(run: Run): string {
  const i = run.info;
  const lines = [
    `Run ${i.run_id} (${i.run_name})`,
    `  experiment  ${i.experiment_id}`,
    `  status      ${i.status}${i.lifecycle_stage === 'deleted' ? ' (deleted)' : ''}`,
    `  started     ${time(i.start_time)}`,
    `  ended       ${time(i.end_time)}`,
    `  artifacts   ${i.artifact_uri}`,
  ];
  const section = (title: string, rows: [string, string][]) =>
    rows.length
      ? [
          '',
          title,
          ...table(['KEY', 'VALUE'], rows)
            .trimEnd()
            .split('\n')
            .map((l) => `  ${l}`),
        ]
      : [];
  lines.push(
    ...section(
      'Params',
      run.data.params.map((p) => [p.key, p.value]),
    ),
  );
  lines.push(
    ...section(
      'Metrics',
      run.data.metrics.map((m) => [m.key, metricText(m.value)]),
    ),
  );
  lines.push(
    ...section(
      'Tags',
      run.data.tags.map((t) => [t.key, t.value]),
    ),
  );
  return lines.join('\n') + '\n';
}

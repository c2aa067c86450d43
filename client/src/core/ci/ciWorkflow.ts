import { isMap, isSeq, parseDocument, stringify, type Document, type YAMLMap } from 'yaml';
import { shellQuote } from '../runner/process';

/** A word for a CI script: bare when it is plainly one (`data/x.csv`, `k=v`), else quoted. */
const word = (text: string) => (/^[A-Za-z0-9_./=:@%+,-]+$/.test(text) ? text : shellQuote(text));

// CI/CD for ML, generated (docs/maturity.md): on pull requests `mlops validate` with annotations; on the
// main branch `mlops run` of the pipeline (its register gate included) against the tracking server
// of the CI's secrets; on the monitor's schedule `mlops monitor`, whose drift fails the job and, with
// `on_drift.run_pipeline`, starts the retraining job. It installs the version that generated it.

export interface CiPlan {
  /** This tool's version: the workflow installs `mlops-workbench@<version>`. */
  readonly version: string;
  /** The workspace folder relative to the repository root ('.' at the root). */
  readonly folder: string;
  /** The pipeline to run on the main branch, relative to the repository root. */
  readonly pipeline: string;
  readonly monitor?: {
    readonly file: string;
    /** Cron of the monitor's schedule (see cronOf). */
    readonly cron: string;
    readonly retrain?: { readonly pipeline: string; readonly params: Readonly<Record<string, string | number | boolean>> };
  };
  /** The main branch (default main). */
  readonly branch?: string;
}

/**
 * A schedule as cron, at the nearest interval cron can keep that is not longer than it: minutes
 * that divide an hour, hours that divide a day, whole days. `note` says when it is not exact.
 */
export function cronOf(ms: number): { cron: string; note?: string } {
  const minutes = Math.max(5, Math.round(ms / 60_000)); // GitHub runs schedules every 5 minutes at most
  const exact = (cron: string, every: number) => ({
    cron,
    ...(every !== minutes ? { note: `every ${every} min instead of ${minutes}` } : {}),
  });
  if (minutes < 60) {
    const every = [30, 20, 15, 12, 10, 6, 5].find((m) => m <= minutes)!;
    return exact(`*/${every} * * * *`, every);
  }
  if (minutes < 24 * 60) {
    const hours = [12, 8, 6, 4, 3, 2, 1].find((h) => h * 60 <= minutes)!;
    return exact(hours === 1 ? '0 * * * *' : `0 */${hours} * * *`, hours * 60);
  }
  const days = Math.floor(minutes / (24 * 60));
  return exact(days === 1 ? '0 0 * * *' : `0 0 */${days} * *`, days * 24 * 60);
}

const workspaceFlag = (plan: CiPlan) => (plan.folder === '.' ? '' : ` --workspace ${word(plan.folder)}`);
const paramFlags = (params: Readonly<Record<string, string | number | boolean>>) =>
  Object.entries(params)
    .map(([k, v]) => ` --param ${word(`${k}=${String(v)}`)}`)
    .join('');

/** The commands, as both providers run them. */
export function ciCommands(plan: CiPlan) {
  return {
    install: 'npm install --global "$MLOPS_PACKAGE"',
    validate: (format: 'github' | 'text') => `mlops validate${format === 'github' ? ' --format github' : ''} ${word(plan.folder)}`,
    run: `mlops run ${word(plan.pipeline)}${workspaceFlag(plan)} | tee mlops-run.log`,
    monitor: plan.monitor ? `mlops monitor ${word(plan.monitor.file)}${workspaceFlag(plan)}` : undefined,
    retrain: plan.monitor?.retrain
      ? `mlops run ${word(plan.monitor.retrain.pipeline)}${workspaceFlag(plan)}${paramFlags(plan.monitor.retrain.params)} | tee mlops-run.log`
      : undefined,
  };
}

const SECRETS = {
  MLFLOW_TRACKING_URI: '${{ secrets.MLFLOW_TRACKING_URI }}',
  MLFLOW_TRACKING_TOKEN: '${{ secrets.MLFLOW_TRACKING_TOKEN }}',
};
const SUMMARY = `{ echo '### mlops run'; echo; echo '\`\`\`'; cat mlops-run.log; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`;

/** .github/workflows/mlops.yml as data. */
export function githubWorkflow(plan: CiPlan): Record<string, unknown> {
  const c = ciCommands(plan);
  const branch = plan.branch ?? 'main';
  const setup = [
    { uses: 'actions/checkout@v4' },
    { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
    { name: 'Install mlops', run: c.install },
  ];
  const runJob = (name: string, condition: string, command: string) => ({
    name,
    if: condition,
    'runs-on': 'ubuntu-latest',
    env: SECRETS,
    steps: [...setup, { name, run: command }, { name: 'Run summary', if: 'always()', run: SUMMARY }],
  });
  const jobs: Record<string, unknown> = {
    'mlops-validate': {
      name: 'Validate pipelines, features and monitors',
      if: "github.event_name == 'pull_request' || github.event_name == 'push'",
      'runs-on': 'ubuntu-latest',
      steps: [...setup, { name: 'mlops validate', run: c.validate('github') }],
    },
    'mlops-train': runJob('Train', `github.event_name == 'push' && github.ref == 'refs/heads/${branch}'`, c.run),
  };
  if (plan.monitor && c.monitor) {
    jobs['mlops-monitor'] = {
      name: 'Check drift',
      if: "github.event_name == 'schedule' || (github.event_name == 'workflow_dispatch' && inputs.job == 'monitor')",
      'runs-on': 'ubuntu-latest',
      env: SECRETS,
      ...(c.retrain ? { permissions: { actions: 'write', contents: 'read' } } : {}),
      steps: [
        ...setup,
        // Exit 1 is drift, which fails the job; the retraining dispatch tells it from a broken check.
        {
          name: 'mlops monitor',
          id: 'check',
          run: `set +e\n${c.monitor}\nstatus=$?\necho "status=$status" >> "$GITHUB_OUTPUT"\nexit $status`,
        },
        ...(c.retrain
          ? [
              {
                name: 'Start retraining',
                if: "failure() && steps.check.outputs.status == '1'",
                env: { GH_TOKEN: '${{ github.token }}' },
                run: 'gh workflow run "${{ github.workflow }}" --ref "${{ github.ref_name }}" -f job=retrain',
              },
            ]
          : []),
      ],
    };
    if (c.retrain)
      jobs['mlops-retrain'] = runJob('Retrain', "github.event_name == 'workflow_dispatch' && inputs.job == 'retrain'", c.retrain);
  }
  return {
    name: 'MLOps',
    on: {
      pull_request: {},
      push: { branches: [branch] },
      ...(plan.monitor ? { schedule: [{ cron: plan.monitor.cron }] } : {}),
      workflow_dispatch: {
        inputs: {
          job: { description: 'What to run', type: 'choice', options: ['monitor', 'retrain'], default: 'monitor' },
        },
      },
    },
    env: { MLOPS_PACKAGE: `mlops-workbench@${plan.version}` },
    jobs,
  };
}

/** .gitlab-ci.yml jobs as data (GitLab runs schedules made in its UI: the cron goes in a comment). */
export function gitlabJobs(plan: CiPlan): Record<string, unknown> {
  const c = ciCommands(plan);
  const branch = plan.branch ? `"${plan.branch}"` : '$CI_DEFAULT_BRANCH';
  const base = { image: 'node:20', before_script: [c.install] };
  const jobs: Record<string, unknown> = {
    'mlops-validate': {
      ...base,
      stage: 'test',
      rules: [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }, { if: `$CI_COMMIT_BRANCH == ${branch}` }],
      script: [c.validate('text')],
    },
    'mlops-train': {
      ...base,
      stage: 'deploy',
      rules: [{ if: `$CI_COMMIT_BRANCH == ${branch} && $CI_PIPELINE_SOURCE == "push"` }],
      script: [c.run],
      artifacts: { when: 'always', paths: ['mlops-run.log'] },
    },
  };
  if (c.monitor)
    jobs['mlops-monitor'] = {
      ...base,
      stage: 'deploy',
      rules: [{ if: '$CI_PIPELINE_SOURCE == "schedule" && $MLOPS_JOB != "retrain"' }],
      script: [
        `${c.monitor} || status=$?`,
        ...(c.retrain
          ? [
              // Drift (exit 1): start a pipeline of this branch that runs the retraining job.
              'if [ "${status:-0}" = 1 ]; then curl --fail --silent --request POST --form "token=$CI_JOB_TOKEN" --form "ref=$CI_COMMIT_REF_NAME" --form "variables[MLOPS_JOB]=retrain" "$CI_API_V4_URL/projects/$CI_PROJECT_ID/trigger/pipeline"; fi',
            ]
          : []),
        'exit "${status:-0}"',
      ],
    };
  if (c.retrain)
    jobs['mlops-retrain'] = {
      ...base,
      stage: 'deploy',
      rules: [{ if: '$MLOPS_JOB == "retrain"' }],
      script: [c.retrain],
      artifacts: { when: 'always', paths: ['mlops-run.log'] },
    };
  return {
    variables: { MLOPS_PACKAGE: `mlops-workbench@${plan.version}` },
    ...jobs,
  };
}

/**
 * The generated data merged into an existing file's text: keys for which `owned` holds (the
 * generator's jobs) are replaced whole; maps are merged key by key; `branches` and `schedule` lists
 * gain what they lack; any other key the file has stays as the user wrote it (its `name`, its
 * comments, its own jobs). No existing text: the data alone, after `header`.
 */
export function mergeYaml(
  existing: string | undefined,
  generated: Record<string, unknown>,
  header: string,
  owned: (key: string) => boolean,
): string {
  if (existing === undefined || existing.trim() === '')
    return `${header}\n${stringify(generated, { lineWidth: 0, aliasDuplicateObjects: false })}`;
  const doc: Document = parseDocument(existing);
  if (doc.errors.length) throw new Error(`it is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); fix it or move it away first`);
  if (!isMap(doc.contents)) throw new Error('it is not a YAML map');
  mergeMap(doc.contents as YAMLMap, generated, doc, owned);
  return doc.toString({ lineWidth: 0 });
}

function mergeMap(map: YAMLMap, generated: Record<string, unknown>, doc: Document, owned: (key: string) => boolean): void {
  const node = (value: unknown) => doc.createNode(value, { aliasDuplicateObjects: false });
  for (const [key, value] of Object.entries(generated)) {
    const current = map.get(key, true);
    if (current === undefined || owned(key)) map.set(node(key), node(value));
    else if (isMap(current) && value && typeof value === 'object' && !Array.isArray(value))
      mergeMap(current, value as Record<string, unknown>, doc, owned);
    else if (isSeq(current) && Array.isArray(value) && (key === 'branches' || key === 'schedule')) {
      const have = current.items.map((i) => JSON.stringify(doc.createNode(i).toJSON()));
      for (const v of value) if (!have.includes(JSON.stringify(v))) current.add(node(v));
    }
    // Anything else of the user's (a name, a trigger written as a list) stays.
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { buildVersion } from '../../../../common/src/version';
import { ciCommands, cronOf, githubWorkflow, gitlabJobs, mergeYaml, type CiPlan } from '../../core/ci/ciWorkflow';
import { UsageError } from '../../core/errors';
import { loadMonitor } from '../../core/monitor/monitorConfig';
import { loadPipeline, PipelineInvalidError } from '../../core/runner/plan';
import { collectFiles } from '../../core/validation/collectFiles';
import { Exit, type CliCommand, type CliGroup, type CliIO } from '../command';
import { repositoryRoot } from './pipelineArgs';
import { WORKSPACE_OPTION, workspaceOf } from './trackingAccess';

const posix = (p: string) => p.split(path.sep).join('/') || '.';

/** The one file of a kind in the workspace, or the one named; several without a choice is bad usage naming them. */
async function pick(
  workspace: string,
  given: string | undefined,
  io: CliIO,
  kind: 'pipeline' | 'monitor',
  required: boolean,
): Promise<string | undefined> {
  if (given) {
    const file = path.resolve(io.cwd, given);
    if (!existsSync(file)) throw new UsageError(`--${kind} ${given}: no such file`);
    return file;
  }
  const files = (await collectFiles([workspace])).filter((f) => new RegExp(`\\.${kind}\\.ya?ml$`, 'i').test(f));
  if (files.length === 1) return files[0];
  if (files.length === 0) {
    if (required) throw new UsageError(`no *.${kind}.yaml in ${workspace}: CI runs a pipeline; write one first`);
    return undefined;
  }
  throw new UsageError(
    `the workspace has ${files.length} ${kind} files; choose one with --${kind} (${files.map((f) => path.relative(io.cwd, f)).join(', ')})`,
  );
}

const initCommand: CliCommand = {
  name: 'init',
  summary: 'Write a CI workflow that validates on pull requests, trains on the main branch and checks drift on a schedule.',
  usage: 'mlops ci init [--provider github|gitlab] [--pipeline FILE] [--monitor FILE] [--branch NAME] [--workspace DIR]',
  details: [
    'Writes .github/workflows/mlops.yml (or .gitlab-ci.yml) at the repository root, merged into an existing',
    'file: jobs named mlops-* are replaced, every other job, trigger and comment stays. Pull requests run',
    '`mlops validate` (annotations on GitHub); the main branch runs `mlops run` of the pipeline against the',
    'tracking server in the secrets MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN, with the run summary as',
    "the job's summary; the monitor's schedule (as cron) runs `mlops monitor`, and drift, with",
    '`on_drift.run_pipeline`, starts the retraining job. It installs mlops-workbench at this version',
    '(MLOPS_PACKAGE: set it to another npm spec, such as a tarball URL, to install from elsewhere).',
  ].join('\n'),
  options: {
    provider: { type: 'string', value: 'github|gitlab', description: 'The CI system (default github)' },
    pipeline: { type: 'string', value: 'FILE', description: 'The pipeline to run (default: the only one in the workspace)' },
    monitor: { type: 'string', value: 'FILE', description: 'The monitor to check on its schedule (default: the only one, if any)' },
    branch: { type: 'string', value: 'NAME', description: 'The main branch (default main; GitLab: its default branch)' },
    workspace: WORKSPACE_OPTION,
  },
  examples: ['mlops ci init', 'mlops ci init --provider gitlab --pipeline samples/churn/churn.pipeline.yaml'],
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}`);
    const provider = (values.provider as string | undefined) ?? 'github';
    if (provider !== 'github' && provider !== 'gitlab') throw new UsageError(`--provider must be github or gitlab, got '${provider}'`);
    const workspace = workspaceOf(values, io.cwd);
    const root = repositoryRoot(workspace);
    const pipelineFile = (await pick(workspace, values.pipeline as string | undefined, io, 'pipeline', true))!;
    const monitorFile = await pick(workspace, values.monitor as string | undefined, io, 'monitor', false);
    try {
      await loadPipeline(pipelineFile);
    } catch (error) {
      if (error instanceof PipelineInvalidError) {
        io.err(`mlops ci init: ${error.message}\n`);
        return Exit.problems;
      }
      throw error;
    }
    let monitor: CiPlan['monitor'];
    if (monitorFile) {
      const config = await loadMonitor(monitorFile);
      if (config.scheduleMs === undefined)
        io.err(`mlops ci init: ${path.relative(io.cwd, monitorFile)} has no schedule; it is checked daily\n`);
      const { cron, note } = cronOf(config.scheduleMs ?? 24 * 3_600_000);
      if (note) io.err(`mlops ci init: the monitor's schedule becomes cron '${cron}' (${note})\n`);
      const retrain = config.onDrift.runPipeline
        ? {
            pipeline: posix(path.relative(root, path.resolve(path.dirname(monitorFile), config.onDrift.runPipeline))),
            params: config.onDrift.params,
          }
        : undefined;
      monitor = { file: posix(path.relative(root, monitorFile)), cron, ...(retrain ? { retrain } : {}) };
    }
    const plan: CiPlan = {
      version: buildVersion(),
      folder: posix(path.relative(root, workspace)),
      pipeline: posix(path.relative(root, pipelineFile)),
      ...(monitor ? { monitor } : {}),
      ...(typeof values.branch === 'string' ? { branch: values.branch } : {}),
    };
    const target = provider === 'github' ? path.join(root, '.github', 'workflows', 'mlops.yml') : path.join(root, '.gitlab-ci.yml');
    const existing = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    const header = `# CI/CD for ML, written by mlops ci init (MLOps Workbench ${buildVersion()}); jobs named mlops-* are rewritten by it, the rest is yours.`;
    let text: string;
    try {
      text =
        provider === 'github'
          ? mergeYaml(existing, githubWorkflow(plan), header, (key) => key.startsWith('mlops-'))
          : mergeYaml(
              existing,
              gitlabJobs(plan),
              `${header}\n# Drift checks run on a pipeline schedule: create one (CI/CD > Schedules) with cron '${monitor?.cron ?? '0 0 * * *'}'.`,
              (key) => key.startsWith('mlops-'),
            );
    } catch (error) {
      io.err(`mlops ci init: ${path.relative(io.cwd, target)}: ${(error as Error).message}\n`);
      return Exit.problems;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
    const c = ciCommands(plan);
    io.out(
      [
        `${existing === undefined ? 'Wrote' : 'Updated'} ${path.relative(io.cwd, target) || target} (${provider}):`,
        `  pull requests: ${c.validate(provider === 'github' ? 'github' : 'text')}`,
        `  ${plan.branch ?? (provider === 'github' ? 'main' : 'the default branch')}: ${c.run}`,
        ...(c.monitor ? [`  schedule ${monitor!.cron}: ${c.monitor}${c.retrain ? `; on drift: ${c.retrain}` : ''}`] : []),
        `Set the secrets MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN to your tracking server, or runs go to a store that lives only as long as the job.`,
        '',
      ].join('\n'),
    );
    return Exit.ok;
  },
};

export const ciCommand: CliGroup = {
  name: 'ci',
  summary: 'Generate CI/CD for ML: validation, training and drift checks in GitHub Actions or GitLab CI.',
  subcommands: [initCommand],
};

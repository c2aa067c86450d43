import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { featuresModel } from '../../../../common/src/features/model';
import { Commands } from '../../../../common/src/ids/commands';
import { allExperiments, allModelVersions, allRegisteredModels, allRuns } from '../tracking/listing';
import type { TrackingApi } from '../tracking/repository';
import { RunnerTags } from '../runner/recorder';
import { loadMonitor, type MonitorConfig } from '../monitor/monitorConfig';
import { collectFiles } from '../validation/collectFiles';
import { indexFiles } from '../validation/indexFiles';
import { validateFile } from '../validation/validateFile';

// Where a workspace stands on the maturity ladder (docs/maturity.md): the seven items of the
// checklist, each met or not with its evidence and the next action, and the level they reach.

export type ItemId = 'tracking' | 'featureStore' | 'trainingPipeline' | 'modelRegistry' | 'cicd' | 'monitoring' | 'retraining';

export interface NextAction {
  readonly title: string;
  /** The command line that does it, for the CLI. */
  readonly cli: string;
  /** The editor's command that does it. */
  readonly command: string;
}

export interface MaturityItem {
  readonly id: ItemId;
  readonly title: string;
  readonly met: boolean;
  /** What shows it is met, or what is missing: a file, a run, a version, a workflow, a monitor. */
  readonly evidence: string;
  /** Where the evidence is (workspace-relative), when it is a file. */
  readonly file?: string;
  readonly next?: NextAction;
}

export interface Assessment {
  readonly level: 0 | 1 | 2 | 3 | 4;
  readonly levelName: string;
  readonly items: readonly MaturityItem[];
  /** The items the next level needs that are not met. */
  readonly toNextLevel: readonly ItemId[];
}

export const LEVELS = ['Manual', 'ML pipeline automation', 'CI/CD for ML', 'Continuous training', 'Full MLOps'] as const;

/** Each level's items, on top of the level below (docs/maturity.md). */
export const LEVEL_ITEMS: readonly (readonly ItemId[])[] = [
  [],
  ['tracking', 'trainingPipeline'],
  ['modelRegistry', 'cicd'],
  ['retraining'],
  ['monitoring', 'featureStore'],
];

const TITLES: Record<ItemId, string> = {
  tracking: 'Experiment tracking',
  featureStore: 'Feature store',
  trainingPipeline: 'Training pipeline',
  modelRegistry: 'Model registry',
  cicd: 'CI/CD for ML',
  monitoring: 'Monitoring and alerting',
  retraining: 'Retraining trigger',
};

const NEXT: Record<ItemId, NextAction> = {
  tracking: { title: 'Run a pipeline, or log from mlflow code', cli: 'mlops run <file>.pipeline.yaml', command: Commands.runPipeline },
  featureStore: { title: 'Add a feature view', cli: 'write a *.features.yaml (docs/formats.md)', command: Commands.newFeaturesFile },
  trainingPipeline: { title: 'Write a training pipeline and run it', cli: 'mlops run <file>.pipeline.yaml', command: Commands.newPipeline },
  modelRegistry: {
    title: 'Register a model version and promote it',
    cli: 'add `register:` to the pipeline, or mlops models promote NAME VERSION Staging',
    command: Commands.promoteModel,
  },
  cicd: { title: 'Generate CI for validation, training and monitoring', cli: 'mlops ci init', command: Commands.setUpCi },
  monitoring: {
    title: 'Add a drift monitor with a schedule, and check it',
    cli: 'mlops monitor <file>.monitor.yaml',
    command: Commands.newMonitorFile,
  },
  retraining: {
    title: 'Name the training pipeline in a monitor’s on_drift.run_pipeline',
    cli: 'set on_drift.run_pipeline in a *.monitor.yaml',
    command: Commands.newMonitorFile,
  },
};

/** What the assessment reads: the workspace folder, and its tracking store (absent: no store yet). */
export interface AssessInput {
  readonly workspaceDir: string;
  readonly api?: TrackingApi;
}

const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');
const item = (id: ItemId, met: boolean, evidence: string, file?: string): MaturityItem => ({
  id,
  title: TITLES[id],
  met,
  evidence,
  ...(file ? { file } : {}),
  ...(met ? {} : { next: NEXT[id] }),
});

/** The CI files of the repository: GitHub workflows and GitLab CI. */
function ciFiles(root: string): string[] {
  const workflows = path.join(root, '.github', 'workflows');
  const github = existsSync(workflows)
    ? readdirSync(workflows)
        .filter((f) => /\.ya?ml$/i.test(f))
        .map((f) => path.join(workflows, f))
    : [];
  return [...github, ...['.gitlab-ci.yml', '.gitlab-ci.yaml'].map((f) => path.join(root, f)).filter((f) => existsSync(f))];
}

/** `mlops validate` and `mlops run` (or a submission to a cluster) in one CI file. */
const VALIDATES = /\bmlops(\.js)?\s+validate\b/;
const TRAINS = /\bmlops(\.js)?\s+(run|submit)\b/;

/** The level the items reach: the highest whose items, and those of every level below, are all met. */
export function levelOf(met: ReadonlySet<ItemId>): Assessment['level'] {
  let level = 0;
  for (let l = 1; l < LEVEL_ITEMS.length; l++) {
    if (!LEVEL_ITEMS[l]!.every((id) => met.has(id))) break;
    level = l;
  }
  return level as Assessment['level'];
}

export async function assessWorkspace(input: AssessInput): Promise<Assessment> {
  const root = path.resolve(input.workspaceDir);
  const files = await collectFiles([root]);
  const { index, docs } = await indexFiles(files);
  const errorsOf = async (file: string) =>
    (await validateFile(file, { workspace: index, doc: docs.get(file)! })).diagnostics.filter((d) => d.severity === 'error');
  const of = (suffix: RegExp) => [...docs.keys()].filter((f) => suffix.test(f)).sort();
  const pipelines = of(/\.pipeline\.ya?ml$/i);
  const featureFiles = of(/\.features\.ya?ml$/i);
  const monitorFiles = of(/\.monitor\.ya?ml$/i);
  const validPipelines: string[] = [];
  for (const file of pipelines) if ((await errorsOf(file)).length === 0) validPipelines.push(file);

  const api = input.api;
  const experiments = api ? await allExperiments(api) : [];
  const runs =
    api && experiments.length
      ? await allRuns(
          api,
          experiments.map((e) => e.experiment_id),
        )
      : [];
  const items: MaturityItem[] = [];

  // Tracking: runs exist in the store.
  const latest = runs.at(-1);
  items.push(
    item(
      'tracking',
      runs.length > 0,
      latest
        ? `${runs.length} run${runs.length === 1 ? '' : 's'} in the store, the latest ${latest.info.run_name} (${new Date(latest.info.start_time ?? 0).toISOString().slice(0, 16).replace('T', ' ')})`
        : api
          ? 'no runs in the store'
          : 'no tracking store in this workspace',
    ),
  );

  // Feature store: a features file validates and its sources exist.
  let featureEvidence = featureFiles.length ? 'no features file validates' : 'no *.features.yaml file';
  let featureFile: string | undefined;
  for (const file of featureFiles) {
    if ((await errorsOf(file)).length) continue;
    const sources = featuresModel(docs.get(file)!).sources.filter((s) => s.path);
    const missing = sources.filter((s) => !existsSync(path.resolve(path.dirname(file), s.path!.name)));
    if (sources.length && !missing.length) {
      featureFile = file;
      featureEvidence = `${rel(root, file)} validates; its source${sources.length === 1 ? '' : 's'} ${sources.map((s) => s.path!.name).join(', ')} exist${sources.length === 1 ? 's' : ''}`;
      break;
    }
    featureEvidence = missing.length
      ? `${rel(root, file)}: source ${missing.map((s) => s.path!.name).join(', ')} does not exist`
      : `${rel(root, file)} has no source`;
  }
  items.push(item('featureStore', featureFile !== undefined, featureEvidence, featureFile && rel(root, featureFile)));

  // Training pipeline: a pipeline file validates and has a finished run.
  const finishedOf = (file: string) =>
    runs.filter(
      (r) =>
        r.info.status === 'FINISHED' && r.data.tags.some((t) => t.key === RunnerTags.pipelineFile && path.resolve(root, t.value) === file),
    );
  const trained = validPipelines.map((file) => ({ file, runs: finishedOf(file) })).find((p) => p.runs.length > 0);
  items.push(
    trained
      ? item(
          'trainingPipeline',
          true,
          `${rel(root, trained.file)} validates and has ${trained.runs.length} finished run${trained.runs.length === 1 ? '' : 's'}`,
          rel(root, trained.file),
        )
      : item(
          'trainingPipeline',
          false,
          validPipelines.length
            ? `${rel(root, validPipelines[0]!)} validates but has no finished run`
            : pipelines.length
              ? `${rel(root, pipelines[0]!)} has errors`
              : 'no *.pipeline.yaml file',
          (validPipelines[0] ?? pipelines[0]) ? rel(root, (validPipelines[0] ?? pipelines[0])!) : undefined,
        ),
  );

  // Model registry: a registered model has a version in a stage or under an alias.
  let registryEvidence = api ? 'no registered model' : 'no tracking store in this workspace';
  let registryMet = false;
  for (const model of api ? await allRegisteredModels(api) : []) {
    const versions = await allModelVersions(api!, model.name);
    const staged = versions.find(
      (v) => (v.current_stage && v.current_stage !== 'None' && v.current_stage !== 'Archived') || (v.aliases?.length ?? 0) > 0,
    );
    if (staged) {
      registryMet = true;
      const where = [
        staged.current_stage !== 'None' ? staged.current_stage : undefined,
        ...(staged.aliases ?? []).map((a) => `@${a}`),
      ].filter(Boolean);
      registryEvidence = `${model.name} version ${staged.version} in ${where.join(', ')}`;
      break;
    }
    registryEvidence = `${model.name} has no version in a stage or under an alias`;
  }
  items.push(item('modelRegistry', registryMet, registryEvidence));

  // CI/CD: a workflow that validates and runs.
  const ci = ciFiles(root).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const running = ci.find((c) => VALIDATES.test(c.text) && TRAINS.test(c.text));
  items.push(
    running
      ? item('cicd', true, `${rel(root, running.file)} runs mlops validate and mlops run`, rel(root, running.file))
      : item(
          'cicd',
          false,
          ci.length ? `${rel(root, ci[0]!.file)} does not run both mlops validate and mlops run` : 'no CI workflow in the repository',
        ),
  );

  // Monitoring and alerting, and the retraining trigger.
  const monitors: { file: string; config: MonitorConfig }[] = [];
  for (const file of monitorFiles) {
    if ((await errorsOf(file)).length) continue;
    try {
      monitors.push({ file, config: await loadMonitor(file) });
    } catch {
      // A monitor that cannot load is not evidence of anything.
    }
  }
  let monitoringEvidence = monitorFiles.length ? 'no monitor file validates' : 'no *.monitor.yaml file';
  let monitoring: string | undefined;
  for (const { file, config } of monitors) {
    if (config.scheduleMs === undefined || !config.onDrift.notify) {
      monitoringEvidence = `${rel(root, file)} has no ${config.scheduleMs === undefined ? 'schedule' : 'notification (on_drift.notify is false)'}`;
      continue;
    }
    const checks = api ? (await api.listMonitorResults({ monitor: config.name, max_results: 1 })).results : [];
    if (!checks.length) {
      monitoringEvidence = `${rel(root, file)} has a schedule and notifies, but was never checked`;
      continue;
    }
    monitoring = file;
    monitoringEvidence = `${rel(root, file)} checks every ${config.scheduleMs / 60_000} min and notifies; last check ${checks[0]!.status.toLowerCase()} at ${new Date(checks[0]!.time).toISOString().slice(0, 16).replace('T', ' ')}`;
    break;
  }
  items.push(item('monitoring', monitoring !== undefined, monitoringEvidence, monitoring && rel(root, monitoring)));

  // The monitor validating means its params are that pipeline's (unknown-param otherwise); the pipeline must validate too.
  const triggers = monitors.filter((m) => m.config.onDrift.runPipeline !== undefined);
  const trigger = triggers.find((m) => validPipelines.includes(path.resolve(path.dirname(m.file), m.config.onDrift.runPipeline!)));
  items.push(
    trigger
      ? item(
          'retraining',
          true,
          `${rel(root, trigger.file)} runs ${rel(root, path.resolve(path.dirname(trigger.file), trigger.config.onDrift.runPipeline!))} on drift${Object.keys(trigger.config.onDrift.params).length ? ` with ${Object.keys(trigger.config.onDrift.params).join(', ')}` : ''}`,
          rel(root, trigger.file),
        )
      : item(
          'retraining',
          false,
          triggers.length
            ? `${rel(root, triggers[0]!.file)} runs ${triggers[0]!.config.onDrift.runPipeline} on drift, which does not validate`
            : monitors.length
              ? 'no monitor names on_drift.run_pipeline'
              : 'no monitor file validates',
        ),
  );

  const met = new Set(items.filter((i) => i.met).map((i) => i.id));
  const level = levelOf(met);
  const order: ItemId[] = ['tracking', 'featureStore', 'trainingPipeline', 'modelRegistry', 'cicd', 'monitoring', 'retraining'];
  return {
    level,
    levelName: LEVELS[level],
    items: order.map((id) => items.find((i) => i.id === id)!),
    toNextLevel:
      level < 4
        ? LEVEL_ITEMS.slice(1, level + 2)
            .flat()
            .filter((id) => !met.has(id))
        : [],
  };
}

import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { buildVersion } from '../../../../common/src/version';
import { UsageError } from '../../core/errors';
import { argoWorkflow } from '../../core/export/argo';
import { feastRepository } from '../../core/export/feast';
import { collectFiles } from '../../core/validation/collectFiles';
import { exportYaml } from '../../core/export/exportYaml';
import { kfpPipelineSpec } from '../../core/export/kfp';
import { ExportError } from '../../core/export/stepScript';
import type { PipelinePlan } from '../../core/runner/plan';
import type { CliCommand, CliGroup, CliIO } from '../command';
import { folderInRepo, generator, paramArgs, pipelineArg, reportingUserErrors } from './pipelineArgs';

const OUTPUT_OPTIONS = {
  output: { type: 'string', short: 'o', value: 'FILE', description: 'Write to FILE (default: standard output)' },
  param: { type: 'string', multiple: true, value: 'NAME=VALUE', description: "Override a param's default in the export" },
} as const;

/** Writes `text` to -o (its folder made) or stdout; says where on stderr. */
async function emit(io: CliIO, values: Record<string, unknown>, text: string, what: string): Promise<void> {
  const output = values.output as string | undefined;
  if (!output) {
    io.out(text);
    return;
  }
  const file = path.resolve(io.cwd, output);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  io.err(`mlops export: ${what} written to ${output}\n`);
}

const kfpCommand: CliCommand = {
  name: 'kfp',
  summary: "Write a pipeline as Kubeflow Pipelines v2 IR (the PipelineSpec YAML that KFP's UI and API upload).",
  usage: 'mlops export kfp <file> [-o FILE] [--param NAME=VALUE]...',
  details: [
    "Each step is a component with a container executor: its image (the step's `image`, else the",
    "pipeline's), `sh -c` running its `run` line, and every substituted value passed as an argument, never",
    "parsed by a shell. Params become the pipeline's inputs; `steps.X.outputs.Y` references become",
    'artifacts passed from task to task (`type: model` as system.Model, `metrics` as system.Metrics). The',
    "image is expected to hold the pipeline's folder as its working directory. A step's `timeout` and",
    '`register` have no place in the IR: the export says so on stderr. Exit 1 when the pipeline is',
    'invalid or a step has no image.',
  ].join('\n'),
  options: OUTPUT_OPTIONS,
  examples: ['mlops export kfp churn.pipeline.yaml -o churn.kfp.yaml', 'mlops export kfp churn.pipeline.yaml --param epochs=500'],
  async run(values, positionals, io) {
    return reportingUserErrors(io, 'mlops export', async () => {
      const plan = await pipelineArg(positionals, io, 'mlops export kfp');
      const { spec, notes } = kfpPipelineSpec(plan, { params: paramArgs(values), sdkVersion: generator() });
      for (const note of notes) io.err(`mlops export: ${note}\n`);
      await emit(io, values, exportYaml(spec, header(plan, 'Kubeflow Pipelines v2 IR (PipelineSpec, schema 2.1.0)')), 'the PipelineSpec');
    });
  },
};

const argoCommand: CliCommand = {
  name: 'argo',
  summary: 'Write a pipeline as an Argo Workflow (or WorkflowTemplate).',
  usage: 'mlops export argo <file> [-o FILE] [--template] [--source GIT_URL[#REV]] [--volume-size SIZE] [--param NAME=VALUE]...',
  details: [
    "A dag template with one container template per step; params as the workflow's arguments; one volume",
    '(volumeClaimTemplates) mounted at /workspace in every step, so outputs are files at their relative',
    'paths as in a local run. --source clones a git repository into the volume first and runs the steps',
    "in the pipeline's folder of it; without it the volume starts empty. `retries`, `timeout` and",
    "`resources` become retryStrategy, activeDeadlineSeconds and the container's resources.",
  ].join('\n'),
  options: {
    ...OUTPUT_OPTIONS,
    template: { type: 'boolean', description: 'Write a WorkflowTemplate instead of a Workflow' },
    source: { type: 'string', value: 'GIT_URL[#REV]', description: 'Clone this repository into the volume before the first step' },
    'volume-size': { type: 'string', value: 'SIZE', description: 'Size of the shared volume (default 1Gi)' },
  },
  examples: [
    'mlops export argo churn.pipeline.yaml -o churn.argo.yaml',
    'mlops export argo samples/churn/churn.pipeline.yaml --source https://github.com/acme/ml.git#main',
  ],
  async run(values, positionals, io) {
    return reportingUserErrors(io, 'mlops export', async () => {
      const plan = await pipelineArg(positionals, io, 'mlops export argo');
      const source = values.source as string | undefined;
      const workflow = argoWorkflow(plan, {
        params: paramArgs(values),
        template: values.template === true,
        ...(source ? { source, folderInRepo: folderInRepo(plan.folder) } : {}),
        ...(typeof values['volume-size'] === 'string' ? { volumeSize: values['volume-size'] } : {}),
        generator: generator(),
      });
      await emit(io, values, exportYaml(workflow, header(plan, `Argo ${workflow.kind as string}`)), `the ${workflow.kind as string}`);
    });
  },
};

function header(plan: PipelinePlan, what: string): string {
  return `${what}, generated by MLOps Workbench ${buildVersion()} from ${path.basename(plan.file)} (pipeline ${plan.name}).\nEdit the pipeline file and export again rather than editing this file.`;
}

const feastCommand: CliCommand = {
  name: 'feast',
  summary: 'Write features files as a Feast feature repository (feature_store.yaml and a Python module).',
  usage: 'mlops export feast <features files or folders...> -o FOLDER',
  details: [
    'Reads the files together (references resolve across them; errors stop the export, named by file,',
    'line and column) and writes FOLDER/feature_store.yaml (project, registry data/registry.db, provider',
    "local, a SQLite online store) and FOLDER/features.py in Feast's API: Entity, FileSource, FeatureView",
    'with schema=[Field(...)] and ttl=timedelta(...), FeatureService. Run `feast apply` in FOLDER.',
    'Source paths are written relative to FOLDER. Feast reads Parquet sources; a CSV one is noted.',
  ].join('\n'),
  options: { output: { type: 'string', short: 'o', value: 'FOLDER', description: 'The feature repository folder (made if missing)' } },
  examples: ['mlops export feast customer.features.yaml -o feast_repo', 'mlops export feast . -o ../feature_repo'],
  async run(values, positionals, io) {
    const output = values.output as string | undefined;
    if (!output) throw new UsageError('give the feature repository folder: -o FOLDER');
    if (positionals.length === 0) throw new UsageError('give the features files (or folders holding them) to export');
    return reportingUserErrors(io, 'mlops export', async () => {
      const files = (await collectFiles(positionals.map((p) => path.resolve(io.cwd, p)))).filter((f) => /\.features\.ya?ml$/i.test(f));
      if (files.length === 0) throw new ExportError(`no features files in ${positionals.join(', ')}`);
      const folder = path.resolve(io.cwd, output);
      const repo = await feastRepository(files, folder, generator());
      await mkdir(folder, { recursive: true });
      for (const file of repo.files) await writeFile(path.join(folder, file.name), file.text);
      for (const note of repo.notes) io.err(`mlops export: ${note}\n`);
      io.err(
        `mlops export: Feast repository of project ${repo.project} written to ${output} (${repo.files.map((f) => f.name).join(', ')}); run \`feast apply\` there\n`,
      );
    });
  },
};

export const exportCommand: CliGroup = {
  name: 'export',
  summary: 'Write pipelines for Kubeflow Pipelines or Argo Workflows, and feature views for Feast.',
  subcommands: [kfpCommand, argoCommand, feastCommand],
};

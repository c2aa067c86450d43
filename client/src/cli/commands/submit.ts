import * as path from 'node:path';
import { UsageError } from '../../core/errors';
import { argoWorkflow } from '../../core/export/argo';
import { exportParams } from '../../core/export/exportCommon';
import { exportYaml } from '../../core/export/exportYaml';
import { kfpPipelineSpec } from '../../core/export/kfp';
import { submitArgoWorkflow } from '../../core/export/submit/argoSubmit';
import { engineBase } from '../../core/export/submit/engineHttp';
import { submitKfpRun } from '../../core/export/submit/kfpSubmit';
import type { CliCommand, CliGroup } from '../command';
import { folderInRepo, generator, paramArgs, pipelineArg, reportingUserErrors } from './pipelineArgs';

const PARAM = { type: 'string', multiple: true, value: 'NAME=VALUE', description: "A param's value for this run" } as const;
const JSON_OUT = { type: 'boolean', description: 'Print what was created as JSON' } as const;

const kfpCommand: CliCommand = {
  name: 'kfp',
  summary: 'Upload a pipeline to Kubeflow Pipelines and start a run of it (REST API v2beta1).',
  usage: 'mlops submit kfp <file> --host URL [--experiment NAME] [--run-name NAME] [--namespace NS] [--param NAME=VALUE]... [--json]',
  details: [
    'Exports the pipeline as `mlops export kfp` does, uploads it (as a new version when KFP already has a',
    'pipeline of that name), then creates a run with the given params, in --experiment (made if missing)',
    "or KFP's default one, and prints the run's URL. The bearer token is KF_PIPELINES_TOKEN. Exit 1 when",
    'KFP cannot be reached or refuses, with its message.',
  ].join('\n'),
  options: {
    host: { type: 'string', value: 'URL', description: "The KFP API's base URL (the UI's address)" },
    experiment: { type: 'string', value: 'NAME', description: 'The experiment of the run (made if missing)' },
    'run-name': { type: 'string', value: 'NAME', description: 'The run\'s name (default: "<pipeline> <time>")' },
    namespace: { type: 'string', value: 'NS', description: 'The namespace (multi-user KFP)' },
    param: PARAM,
    json: JSON_OUT,
  },
  examples: ['KF_PIPELINES_TOKEN=... mlops submit kfp churn.pipeline.yaml --host https://kubeflow.example.com/pipeline --experiment churn'],
  async run(values, positionals, io) {
    if (typeof values.host !== 'string') throw new UsageError('give the KFP address: --host URL');
    return reportingUserErrors(io, 'mlops submit kfp', async () => {
      const base = engineBase(values.host as string, '--host');
      const plan = await pipelineArg(positionals, io, 'mlops submit kfp');
      const overrides = paramArgs(values);
      const checked = exportParams(plan, overrides);
      const parameters = Object.fromEntries(checked.filter((p) => p.name in overrides).map((p) => [p.name, p.default!]));
      const { spec, notes } = kfpPipelineSpec(plan, { sdkVersion: generator() });
      for (const note of notes) io.err(`mlops submit kfp: ${note}\n`);
      const name = (spec.pipelineInfo as { name: string }).name;
      const now = new Date();
      const created = await submitKfpRun(
        {
          base,
          token: process.env.KF_PIPELINES_TOKEN?.trim() || undefined,
          what: `Kubeflow Pipelines at ${base}`,
          tokenHint: 'set KF_PIPELINES_TOKEN',
        },
        {
          specYaml: exportYaml(spec, `Submitted by ${generator()} from ${path.basename(plan.file)}`),
          name,
          ...(plan.description ? { description: plan.description } : {}),
          runName: (values['run-name'] as string | undefined) ?? `${plan.name} ${now.toISOString().slice(0, 19).replace('T', ' ')}`,
          ...(typeof values.experiment === 'string' ? { experiment: values.experiment } : {}),
          ...(typeof values.namespace === 'string' ? { namespace: values.namespace } : {}),
          parameters,
        },
        now,
      );
      if (values.json) io.out(`${JSON.stringify(created)}\n`);
      else
        io.out(
          `${created.newPipeline ? 'Uploaded pipeline' : 'Uploaded a new version of pipeline'} ${name}; run ${created.runId} started.\nRun: ${created.url}\n`,
        );
    });
  },
};

const argoCommand: CliCommand = {
  name: 'argo',
  summary: 'Submit a pipeline to an Argo Server as a Workflow.',
  usage: 'mlops submit argo <file> --server URL [--namespace NS] [--source GIT_URL[#REV]] [--param NAME=VALUE]... [--json]',
  details: [
    'Exports the pipeline as `mlops export argo` does and creates the Workflow through the Argo Server API',
    "(POST /api/v1/workflows/{namespace}); prints the workflow's URL. The bearer token is ARGO_TOKEN (with or",
    'without its "Bearer " prefix, as `argo auth token` prints it). Exit 1 when the server cannot be reached',
    'or refuses, with its message.',
  ].join('\n'),
  options: {
    server: { type: 'string', value: 'URL', description: "The Argo Server's base URL" },
    namespace: { type: 'string', value: 'NS', description: 'The namespace (default: argo)' },
    source: { type: 'string', value: 'GIT_URL[#REV]', description: 'Clone this repository into the volume before the first step' },
    param: PARAM,
    json: JSON_OUT,
  },
  examples: ['ARGO_TOKEN="$(argo auth token)" mlops submit argo churn.pipeline.yaml --server https://argo.example.com --namespace ml'],
  async run(values, positionals, io) {
    if (typeof values.server !== 'string') throw new UsageError('give the Argo Server address: --server URL');
    return reportingUserErrors(io, 'mlops submit argo', async () => {
      const base = engineBase(values.server as string, '--server');
      const plan = await pipelineArg(positionals, io, 'mlops submit argo');
      const source = values.source as string | undefined;
      const workflow = argoWorkflow(plan, {
        params: paramArgs(values),
        ...(source ? { source, folderInRepo: folderInRepo(plan.folder) } : {}),
        generator: generator(),
      });
      const namespace = (values.namespace as string | undefined) ?? 'argo';
      const created = await submitArgoWorkflow(
        {
          base,
          token: process.env.ARGO_TOKEN?.trim() || undefined,
          what: `the Argo Server at ${base}`,
          tokenHint: 'set ARGO_TOKEN (argo auth token)',
        },
        workflow,
        namespace,
      );
      if (values.json) io.out(`${JSON.stringify(created)}\n`);
      else io.out(`Workflow ${created.name} submitted in ${created.namespace}.\nWorkflow: ${created.url}\n`);
    });
  },
};

export const submitCommand: CliGroup = {
  name: 'submit',
  summary: 'Run a pipeline on a Kubeflow Pipelines or Argo Workflows cluster.',
  subcommands: [kfpCommand, argoCommand],
};

import type { ParamValue } from '../../runner/types';
import { engineRequest, type EngineTarget } from './engineHttp';

// Submission to Kubeflow Pipelines through its REST API v2beta1 (kubeflow/pipelines
// backend/api/v2beta1/swagger, API 2.17.0): the pipeline is uploaded (a new version of it when a
// pipeline of that name exists), then a run of it is created, in an experiment when one is named.

export interface KfpRunRequest {
  /** The PipelineSpec YAML, as `mlops export kfp` writes it. */
  readonly specYaml: string;
  /** pipelineInfo.name of the spec. */
  readonly name: string;
  readonly description?: string;
  readonly runName: string;
  readonly experiment?: string;
  readonly namespace?: string;
  /** The run's parameters (runtime_config.parameters); the spec's defaults fill the rest. */
  readonly parameters: Readonly<Record<string, ParamValue>>;
}

export interface KfpRunCreated {
  readonly pipelineId: string;
  readonly pipelineVersionId?: string;
  readonly experimentId?: string;
  readonly runId: string;
  /** The run in the KFP UI. */
  readonly url: string;
  /** Whether the pipeline was new, or a new version of an existing one. */
  readonly newPipeline: boolean;
}

const query = (params: Record<string, string | undefined>) =>
  Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');

function specFile(yaml: string, name: string): FormData {
  const form = new FormData();
  form.append('uploadfile', new Blob([yaml], { type: 'application/x-yaml' }), `${name}.yaml`);
  return form;
}

/** Uploads the pipeline (or a version of it) and starts a run; each step's failure is a SubmitError naming it. */
export async function submitKfpRun(target: EngineTarget, request: KfpRunRequest, now = new Date()): Promise<KfpRunCreated> {
  const existing = await engineRequest<{ pipeline_id?: string } | undefined>(
    target,
    'GET',
    `/apis/v2beta1/pipelines/names/${encodeURIComponent(request.name)}${request.namespace ? `?${query({ namespace: request.namespace })}` : ''}`,
    undefined,
    { missingOk: true },
  );
  let pipelineId: string;
  let pipelineVersionId: string | undefined;
  if (existing?.pipeline_id) {
    pipelineId = existing.pipeline_id;
    const version = `${request.name}-${now.toISOString().replace(/[:.]/g, '-')}`;
    const uploaded = await engineRequest<{ pipeline_version_id?: string }>(
      target,
      'POST',
      `/apis/v2beta1/pipelines/upload_version?${query({ pipelineid: pipelineId, name: version, display_name: version, description: request.description })}`,
      specFile(request.specYaml, request.name),
    );
    pipelineVersionId = uploaded.pipeline_version_id;
  } else {
    const uploaded = await engineRequest<{ pipeline_id?: string }>(
      target,
      'POST',
      `/apis/v2beta1/pipelines/upload?${query({ name: request.name, display_name: request.name, description: request.description, namespace: request.namespace })}`,
      specFile(request.specYaml, request.name),
    );
    if (!uploaded.pipeline_id) throw new Error(`${target.what} uploaded the pipeline but gave no pipeline_id`);
    pipelineId = uploaded.pipeline_id;
  }

  let experimentId: string | undefined;
  if (request.experiment) {
    const filter = JSON.stringify({ predicates: [{ key: 'display_name', operation: 'EQUALS', string_value: request.experiment }] });
    const found = await engineRequest<{ experiments?: { experiment_id?: string; display_name?: string }[] }>(
      target,
      'GET',
      `/apis/v2beta1/experiments?${query({ filter, page_size: '1', namespace: request.namespace })}`,
    );
    experimentId = found.experiments?.find((e) => e.display_name === request.experiment)?.experiment_id;
    if (!experimentId) {
      const created = await engineRequest<{ experiment_id?: string }>(target, 'POST', '/apis/v2beta1/experiments', {
        display_name: request.experiment,
        ...(request.namespace ? { namespace: request.namespace } : {}),
      });
      experimentId = created.experiment_id;
    }
  }

  const run = await engineRequest<{ run_id?: string }>(target, 'POST', '/apis/v2beta1/runs', {
    display_name: request.runName,
    ...(experimentId ? { experiment_id: experimentId } : {}),
    pipeline_version_reference: { pipeline_id: pipelineId, ...(pipelineVersionId ? { pipeline_version_id: pipelineVersionId } : {}) },
    runtime_config: { parameters: { ...request.parameters } },
  });
  if (!run.run_id) throw new Error(`${target.what} created the run but gave no run_id`);
  return {
    pipelineId,
    ...(pipelineVersionId ? { pipelineVersionId } : {}),
    ...(experimentId ? { experimentId } : {}),
    runId: run.run_id,
    url: `${target.base}/#/runs/details/${encodeURIComponent(run.run_id)}`,
    newPipeline: !existing?.pipeline_id,
  };
}

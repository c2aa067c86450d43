import type { OutputPlan, PipelinePlan, StepPlan, StepResources } from '../runner/plan';
import type { ParamSpec } from '../runner/types';
import { exportParams, k8sName, seconds, stepImages, taskNames } from './exportCommon';
import { stepScript, type Dialect } from './stepScript';

// A pipeline as Kubeflow Pipelines v2 IR: the `PipelineSpec` that kfp.compiler writes and the KFP
// UI and API accept (kubeflow/pipelines api/v2alpha1/pipeline_spec.proto, schema 2.1.0). Field
// names are the proto's JSON names, as the compiler writes them.

const PARAMETER_TYPE: Record<ParamSpec['type'], string> = {
  int: 'NUMBER_INTEGER',
  float: 'NUMBER_DOUBLE',
  bool: 'BOOLEAN',
  string: 'STRING',
  path: 'STRING',
};

const artifactType = (output: OutputPlan) => ({
  schemaTitle: output.type === 'model' ? 'system.Model' : output.type === 'metrics' ? 'system.Metrics' : 'system.Artifact',
  schemaVersion: '0.0.1',
});

export interface KfpExport {
  /** The PipelineSpec, as plain data. */
  readonly spec: Record<string, unknown>;
  /** What the IR has no place for, one line each (a step's timeout, `register`). */
  readonly notes: readonly string[];
}

/** An upstream output's input name in the consuming component: `<step>_<output>`, unique among its inputs. */
function inputName(producer: StepPlan, output: OutputPlan, taken: ReadonlySet<string>): string {
  let name = `${producer.id}_${output.name}`.replace(/[^A-Za-z0-9_]/g, '_');
  while (taken.has(name)) name = `${name}_artifact`;
  return name;
}

function containerResources(r: StepResources | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const out: Record<string, unknown> = {
    ...(r.cpu ? { resourceCpuRequest: r.cpu } : {}),
    ...(r.cpuLimit ? { resourceCpuLimit: r.cpuLimit } : {}),
    ...(r.memory ? { resourceMemoryRequest: r.memory } : {}),
    ...(r.memoryLimit ? { resourceMemoryLimit: r.memoryLimit } : {}),
    ...(r.gpu ? { accelerator: { resourceType: 'nvidia.com/gpu', resourceCount: String(r.gpu) } } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

function parameterSpec(p: ParamSpec): Record<string, unknown> {
  return {
    parameterType: PARAMETER_TYPE[p.type],
    ...(p.default !== undefined ? { defaultValue: p.default, isOptional: true } : {}),
    ...(p.description ? { description: p.description } : {}),
    ...(p.enum?.length ? { literals: [...p.enum] } : {}),
  };
}

/** The pipeline as a KFP `PipelineSpec`; `--param` overrides become the root's defaults. */
export function kfpPipelineSpec(plan: PipelinePlan, options: { params?: Readonly<Record<string, string>>; sdkVersion: string }): KfpExport {
  const params = exportParams(plan, options.params ?? {});
  const images = stepImages(plan);
  const tasks = taskNames(plan);
  const notes: string[] = [];
  const components: Record<string, unknown> = {};
  const executors: Record<string, unknown> = {};
  const dagTasks: Record<string, unknown> = {};

  for (const id of plan.steps) {
    const step = plan.byId.get(id)!;
    const task = tasks.get(id)!;
    const inputNames = new Map<string, string>();
    const taken = new Set(plan.params.map((p) => p.name));
    const dialect: Dialect = {
      param: (name) => ({ placeholder: `{{$.inputs.parameters['${name}']}}` }),
      upstream: (_step, producer, output) => {
        const key = `${producer.id}\u0000${output.name}`;
        let name = inputNames.get(key);
        if (!name) {
          name = inputName(producer, output, taken);
          taken.add(name);
          inputNames.set(key, name);
        }
        return { placeholder: `{{$.inputs.artifacts['${name}'].path}}` };
      },
      own: (_step, output) => ({ placeholder: `{{$.outputs.artifacts['${output.name}'].path}}` }),
      runId: { placeholder: '{{$.pipeline_job_uuid}}' },
      runDir: { placeholder: '{{$.pipeline_root}}' },
    };
    const script = stepScript(plan, step, dialect);
    const used = params.filter((p) => script.params.has(p.name));
    const inputs: Record<string, unknown> = {
      ...(used.length ? { parameters: Object.fromEntries(used.map((p) => [p.name, { parameterType: PARAMETER_TYPE[p.type] }])) } : {}),
      ...(script.upstream.length
        ? {
            artifacts: Object.fromEntries(
              script.upstream.map((u) => [
                inputNames.get(`${u.producer.id}\u0000${u.output.name}`)!,
                { artifactType: artifactType(u.output) },
              ]),
            ),
          }
        : {}),
    };
    components[`comp-${task}`] = {
      executorLabel: `exec-${task}`,
      ...(Object.keys(inputs).length ? { inputDefinitions: inputs } : {}),
      ...(step.outputs.length
        ? { outputDefinitions: { artifacts: Object.fromEntries(step.outputs.map((o) => [o.name, { artifactType: artifactType(o) }])) } }
        : {}),
    };
    const resources = containerResources(step.resources);
    executors[`exec-${task}`] = {
      container: {
        image: images.get(id)!,
        command: ['sh', '-c', script.script, id],
        ...(script.args.length ? { args: [...script.args] } : {}),
        ...(script.env.length ? { env: script.env.map((e) => ({ name: e.name, value: e.value })) } : {}),
        ...(resources ? { resources } : {}),
      },
    };
    const taskInputs: Record<string, unknown> = {
      ...(used.length ? { parameters: Object.fromEntries(used.map((p) => [p.name, { componentInputParameter: p.name }])) } : {}),
      ...(script.upstream.length
        ? {
            artifacts: Object.fromEntries(
              script.upstream.map((u) => [
                inputNames.get(`${u.producer.id}\u0000${u.output.name}`)!,
                { taskOutputArtifact: { producerTask: tasks.get(u.producer.id)!, outputArtifactKey: u.output.name } },
              ]),
            ),
          }
        : {}),
    };
    dagTasks[task] = {
      taskInfo: { name: id },
      componentRef: { name: `comp-${task}` },
      ...(step.needs.length ? { dependentTasks: step.needs.map((n) => tasks.get(n)!).sort() } : {}),
      ...(Object.keys(taskInputs).length ? { inputs: taskInputs } : {}),
      cachingOptions: step.cache ? { enableCache: true } : {},
      ...(step.retries > 0 ? { retryPolicy: { maxRetryCount: step.retries } } : {}),
    };
    if (step.timeoutMs !== undefined)
      notes.push(
        `step ${id}: timeout ${seconds(step.timeoutMs)}s has no place in KFP's IR; set it on the cluster (kfp-kubernetes set_timeout)`,
      );
  }
  if (plan.register)
    notes.push(`register (model ${plan.register.model}) runs in local runs only; on Kubeflow, register from a step with the mlflow client`);

  const spec = {
    pipelineInfo: {
      name: k8sName(plan.name, 128),
      ...(plan.description ? { description: plan.description } : {}),
      displayName: plan.name,
    },
    // What the file is, before what it holds (KFP reads the keys in any order).
    schemaVersion: '2.1.0',
    sdkVersion: options.sdkVersion,
    components,
    deploymentSpec: { executors },
    root: {
      dag: { tasks: dagTasks },
      ...(params.length ? { inputDefinitions: { parameters: Object.fromEntries(params.map((p) => [p.name, parameterSpec(p)])) } } : {}),
    },
  };
  return { spec, notes };
}

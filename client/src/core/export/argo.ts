import * as path from 'node:path';
import type { PipelinePlan, StepResources } from '../runner/plan';
import { exportParams, k8sName, seconds, stepImages, taskNames } from './exportCommon';
import { ExportError, stepScript, type Dialect } from './stepScript';

// A pipeline as an Argo `Workflow` (or `WorkflowTemplate`): a `dag` template, one container
// template per step, the params as workflow arguments, and one volume from `volumeClaimTemplates`
// shared by every step at /workspace, so that outputs are files at their relative paths, as in a
// local run. Checked against argoproj/argo-workflows api/jsonschema/schema.json.

/** Where the shared volume is mounted in every container. */
export const WORKSPACE = '/workspace';

export interface ArgoOptions {
  readonly params?: Readonly<Record<string, string>>;
  /** Write a WorkflowTemplate (named) instead of a Workflow (generateName). */
  readonly template?: boolean;
  /**
   * A git repository (`URL` or `URL#REV`) that a first task clones into the volume; the steps then
   * run in the pipeline's folder of that clone. Without it the volume starts empty.
   */
  readonly source?: string;
  /** The pipeline's folder relative to the repository's root (`samples/churn`); '' at the root. */
  readonly folderInRepo?: string;
  /** The volume's size (default 1Gi). */
  readonly volumeSize?: string;
  readonly generator: string;
}

const CHECKOUT = 'mlops-checkout';
const GIT_IMAGE = 'alpine/git:2.45.2';

function resourcesOf(r: StepResources | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const requests = { ...(r.cpu ? { cpu: r.cpu } : {}), ...(r.memory ? { memory: r.memory } : {}) };
  const limits = {
    ...(r.cpuLimit ? { cpu: r.cpuLimit } : {}),
    ...(r.memoryLimit ? { memory: r.memoryLimit } : {}),
    ...(r.gpu ? { 'nvidia.com/gpu': String(r.gpu) } : {}),
  };
  const out = { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) };
  return Object.keys(out).length ? out : undefined;
}

/** The pipeline as an Argo Workflow; `--param` overrides become the arguments' values. */
export function argoWorkflow(plan: PipelinePlan, options: ArgoOptions): Record<string, unknown> {
  const params = exportParams(plan, options.params ?? {});
  const images = stepImages(plan);
  const tasks = taskNames(plan);
  const taken = new Set(tasks.values());
  if (options.source && taken.has(CHECKOUT)) throw new ExportError(`a step is named ${CHECKOUT}, the task that clones --source; rename it`);
  // The dag template is named after the pipeline, unless a step's template already is.
  const name = k8sName(plan.name);
  const dagName = taken.has(name) ? `${name}-dag` : name;
  const source = options.source ? parseSource(options.source) : undefined;
  const folder = source ? path.posix.join(WORKSPACE, 'src', options.folderInRepo ?? '') : WORKSPACE;
  const posixRelative = (from: string, to: string) => path.relative(from, to).split(path.sep).join('/') || '.';
  const dialect: Dialect = {
    param: (p) => ({ placeholder: `{{workflow.parameters.${p}}}` }),
    upstream: (step, producer, output) => ({ literal: posixRelative(step.workdir, path.resolve(producer.workdir, output.path)) }),
    own: (step, output) => ({ literal: posixRelative(step.workdir, path.resolve(step.workdir, output.path)) }),
    runId: { placeholder: '{{workflow.uid}}' },
    runDir: { placeholder: `${WORKSPACE}/.mlops/runs/{{workflow.name}}` },
  };
  const mount = [{ name: 'workspace', mountPath: WORKSPACE }];
  const templates: Record<string, unknown>[] = [];
  const dagTasks: Record<string, unknown>[] = [];
  if (source) {
    templates.push({
      name: CHECKOUT,
      container: {
        image: GIT_IMAGE,
        command: [
          'sh',
          '-c',
          'rm -rf "$2" && git clone --quiet "$1" "$2" && if [ -n "$3" ]; then git -C "$2" checkout --quiet "$3"; fi',
          CHECKOUT,
        ],
        args: [source.url, `${WORKSPACE}/src`, source.revision ?? ''],
        volumeMounts: mount,
      },
    });
    dagTasks.push({ name: CHECKOUT, template: CHECKOUT });
  }
  for (const id of plan.steps) {
    const step = plan.byId.get(id)!;
    const script = stepScript(plan, step, dialect);
    // The local runner makes each output's folder before the step starts; so does the script.
    const folders = [
      ...new Set(step.outputs.map((o) => path.posix.dirname(posixRelative(step.workdir, path.resolve(step.workdir, o.path))))),
    ]
      .filter((d) => d !== '.')
      .map((d) => `'${d.replace(/'/g, `'\\''`)}'`);
    const body = folders.length ? `mkdir -p ${folders.join(' ')} || exit\n${script.script}` : script.script;
    const resources = resourcesOf(step.resources);
    templates.push({
      name: tasks.get(id)!,
      ...(step.description ? { metadata: { annotations: { 'workflows.argoproj.io/description': step.description } } } : {}),
      container: {
        image: images.get(id)!,
        command: ['sh', '-c', body, id],
        ...(script.args.length ? { args: [...script.args] } : {}),
        workingDir: folder,
        ...(script.env.length ? { env: script.env.map((e) => ({ name: e.name, value: e.value })) } : {}),
        ...(resources ? { resources } : {}),
        volumeMounts: mount,
      },
      ...(step.retries > 0 ? { retryStrategy: { limit: String(step.retries) } } : {}),
      ...(step.timeoutMs !== undefined ? { activeDeadlineSeconds: String(seconds(step.timeoutMs)) } : {}),
    });
    const dependencies = [...step.needs.map((n) => tasks.get(n)!), ...(source && step.needs.length === 0 ? [CHECKOUT] : [])];
    dagTasks.push({
      name: tasks.get(id)!,
      template: tasks.get(id)!,
      ...(dependencies.length ? { dependencies: dependencies.sort() } : {}),
    });
  }
  templates.unshift({ name: dagName, dag: { tasks: dagTasks } });

  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: options.template ? 'WorkflowTemplate' : 'Workflow',
    metadata: {
      ...(options.template ? { name } : { generateName: `${name}-` }),
      labels: { 'app.kubernetes.io/managed-by': 'mlops-workbench' },
      annotations: {
        ...(plan.description ? { 'workflows.argoproj.io/description': plan.description } : {}),
        'mlops-workbench/generator': options.generator,
      },
    },
    spec: {
      entrypoint: dagName,
      ...(params.length
        ? {
            arguments: {
              parameters: params.map((p) => ({
                name: p.name,
                ...(p.default !== undefined ? { value: String(p.default) } : {}),
                ...(p.enum?.length ? { enum: p.enum.map(String) } : {}),
                ...(p.description ? { description: p.description } : {}),
              })),
            },
          }
        : {}),
      volumeClaimTemplates: [
        {
          metadata: { name: 'workspace' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: options.volumeSize ?? '1Gi' } } },
        },
      ],
      templates,
    },
  };
}

/** `URL` or `URL#REV`. */
function parseSource(text: string): { url: string; revision?: string } {
  const at = text.lastIndexOf('#');
  return at > 0 ? { url: text.slice(0, at), revision: text.slice(at + 1) } : { url: text };
}

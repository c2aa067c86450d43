import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeValidationContext } from '../../../../common/src/node/fileContext';
import { kindInfo, parseDuration, parseMlopsDocument, pipelineModel, validateDocument } from '../../../../common/src';
import { successors } from '../../../../common/src/pipeline/dag';
import type { OutputType } from '../../../../common/src/pipeline/schema';
import type { ParamSpec, ParamValue } from './types';

export interface OutputPlan {
  readonly name: string;
  /** As written, relative to the step's workdir unless absolute. */
  readonly path: string;
  readonly type: OutputType;
}

export interface StepPlan {
  readonly id: string;
  /** The `run` text with its `${{ }}` still in place. */
  readonly run: string;
  /** Steps that must finish first: `needs` plus data references. */
  readonly needs: readonly string[];
  readonly inputs: readonly string[];
  readonly outputs: readonly OutputPlan[];
  readonly env: Readonly<Record<string, string>>;
  /** Absolute. */
  readonly workdir: string;
  readonly cache: boolean;
  readonly retries: number;
  readonly timeoutMs?: number;
  /** For Kubeflow/Argo exports; local runs ignore these. */
  readonly image?: string;
  readonly resources?: StepResources;
  readonly description?: string;
}

/** `resources` of a step, as Kubernetes writes quantities (`500m`, `2Gi`). */
export interface StepResources {
  readonly cpu?: string;
  readonly memory?: string;
  readonly cpuLimit?: string;
  readonly memoryLimit?: string;
  readonly gpu?: number;
}

export interface RegisterPlan {
  readonly model: string;
  readonly from: string;
  readonly when?: string;
  readonly stage?: string;
  readonly alias?: string;
}

/** A valid pipeline file, read into what the runner needs. */
export interface PipelinePlan {
  readonly name: string;
  /** Absolute path of the pipeline file. */
  readonly file: string;
  readonly folder: string;
  readonly experiment: string;
  readonly params: readonly ParamSpec[];
  readonly env: Readonly<Record<string, string>>;
  /** Step ids in a topological order (document order where free). */
  readonly steps: readonly string[];
  readonly byId: ReadonlyMap<string, StepPlan>;
  readonly register?: RegisterPlan;
  readonly description?: string;
  /** The steps' default image in a Kubeflow/Argo export. */
  readonly image?: string;
}

/** The pipeline has errors; the message lists them as `file:line:col message`. */
export class PipelineInvalidError extends Error {
  override readonly name = 'PipelineInvalidError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${invalidHeadline(file, problems)}:\n  ${problems.join('\n  ')}`);
  }

  /** One line for a notification: "churn.pipeline.yaml has 2 errors and cannot run: line 3:5 ...; line 9:7 ...". */
  summary(): string {
    return `${invalidHeadline(this.file, this.problems)}: ${problemsInBrief(this.file, this.problems)}`;
  }
}

function invalidHeadline(file: string, problems: readonly string[]): string {
  return `${path.basename(file)} has ${problems.length === 1 ? 'an error' : `${problems.length} errors`} and cannot run`;
}

/** The first `max` of a file's `file:line:col code: message` problems on one line, as `line line:col code: message`. */
export function problemsInBrief(file: string, problems: readonly string[], max = 3): string {
  return problems
    .map((p) => p.replace(`${file}:`, 'line '))
    .slice(0, max)
    .join('; ');
}

const MAX_LISTED = 10;

/** Reads and checks a pipeline file; `text` stands in for the file when an editor has unsaved changes. */
export async function loadPipeline(file: string, text?: string): Promise<PipelinePlan> {
  const absolute = path.resolve(file);
  let source = text;
  if (source === undefined) {
    try {
      source = await readFile(absolute, 'utf8');
    } catch (error) {
      throw new Error(
        `cannot read ${absolute}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
        { cause: error },
      );
    }
  }
  const textDoc = TextDocument.create(pathToFileURL(absolute).toString(), kindInfo('pipeline').languageId, 1, source);
  const doc = parseMlopsDocument(textDoc, 'pipeline');
  const errors = validateDocument(doc, { context: nodeValidationContext() }).filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const problems = errors.slice(0, MAX_LISTED).map((d) => {
      const at = textDoc.positionAt(d.start);
      return `${absolute}:${at.line + 1}:${at.character + 1} ${d.code}: ${d.message}`;
    });
    if (errors.length > MAX_LISTED) problems.push(`... and ${errors.length - MAX_LISTED} more`);
    throw new PipelineInvalidError(absolute, problems);
  }
  const model = pipelineModel(doc);
  const root = (model.root?.toJS(doc.yaml) ?? {}) as Record<string, unknown>;
  const folder = path.dirname(absolute);
  const name = String(root.pipeline);

  const params: ParamSpec[] = [];
  for (const decl of model.params.values()) {
    const raw = (root.params as Record<string, unknown>)[decl.name];
    const spec = isMap(decl.pair.value) ? (raw as Record<string, unknown>) : { default: raw };
    params.push({
      name: decl.name,
      type: decl.type,
      ...(spec.default !== undefined && spec.default !== null ? { default: spec.default as ParamValue } : {}),
      ...(Array.isArray(spec.enum) ? { enum: spec.enum as ParamValue[] } : {}),
      ...(typeof spec.min === 'number' ? { min: spec.min } : {}),
      ...(typeof spec.max === 'number' ? { max: spec.max } : {}),
      ...(decl.description ? { description: decl.description } : {}),
    });
  }

  const needs = new Map<string, Set<string>>();
  for (const id of model.steps.keys()) needs.set(id, new Set());
  for (const edge of model.edges) needs.get(edge.to)?.add(edge.from);

  const byId = new Map<string, StepPlan>();
  for (const decl of model.steps.values()) {
    const body = (decl.body?.toJS(doc.yaml) ?? {}) as Record<string, unknown>;
    const inputs = toList(body.inputs);
    const outputs: OutputPlan[] = [...decl.outputs.values()].map((o) => ({ name: o.name, path: o.path ?? '', type: o.type }));
    const timeout =
      typeof body.timeout === 'string' ? parseDuration(body.timeout) : typeof body.timeout === 'number' ? body.timeout * 1000 : undefined;
    byId.set(decl.name, {
      id: decl.name,
      run: typeof body.run === 'string' ? body.run : '',
      needs: [...(needs.get(decl.name) ?? [])],
      inputs,
      outputs,
      env: stringMap(body.env),
      workdir: path.resolve(folder, typeof body.workdir === 'string' ? body.workdir : '.'),
      cache: typeof body.cache === 'boolean' ? body.cache : inputs.length > 0,
      retries: typeof body.retries === 'number' ? body.retries : 0,
      ...(timeout !== undefined && timeout > 0 ? { timeoutMs: timeout } : {}),
      ...(typeof body.image === 'string' && body.image.trim() ? { image: body.image.trim() } : {}),
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      ...resourcesOf(body.resources),
    });
  }

  const register = isMap(model.register) ? readRegister(root.register as Record<string, unknown>) : undefined;
  return {
    name,
    file: absolute,
    folder,
    experiment: typeof root.experiment === 'string' && root.experiment.trim() !== '' ? root.experiment : name,
    params,
    env: stringMap(root.env),
    steps: topologicalOrder([...model.steps.keys()], successors(model)),
    byId,
    ...(register ? { register } : {}),
    ...(typeof root.description === 'string' ? { description: root.description } : {}),
    ...(typeof root.image === 'string' && root.image.trim() ? { image: root.image.trim() } : {}),
  };
}

function resourcesOf(raw: unknown): { resources?: StepResources } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const quantity = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : undefined);
  const resources: StepResources = {
    ...(quantity(r.cpu) ? { cpu: quantity(r.cpu)! } : {}),
    ...(quantity(r.memory) ? { memory: quantity(r.memory)! } : {}),
    ...(quantity(r.cpu_limit) ? { cpuLimit: quantity(r.cpu_limit)! } : {}),
    ...(quantity(r.memory_limit) ? { memoryLimit: quantity(r.memory_limit)! } : {}),
    ...(typeof r.gpu === 'number' && r.gpu > 0 ? { gpu: r.gpu } : {}),
  };
  return Object.keys(resources).length ? { resources } : {};
}

function readRegister(raw: Record<string, unknown>): RegisterPlan | undefined {
  if (typeof raw.model !== 'string' || typeof raw.from !== 'string') return undefined;
  return {
    model: raw.model,
    from: raw.from,
    ...(raw.when !== undefined && raw.when !== null ? { when: String(raw.when) } : {}),
    ...(typeof raw.stage === 'string' ? { stage: raw.stage } : {}),
    ...(typeof raw.alias === 'string' ? { alias: raw.alias } : {}),
  };
}

function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined).map(String);
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    out[key] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/** Kahn's algorithm, taking ready steps in document order so the plan reads like the file. */
function topologicalOrder(ids: readonly string[], next: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const targets of next.values()) for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  const position = new Map(ids.map((id, i) => [id, i]));
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const t of next.get(id) ?? []) {
      const left = indegree.get(t)! - 1;
      indegree.set(t, left);
      if (left === 0) ready.push(t);
    }
  }
  if (order.length !== ids.length) throw new Error('the pipeline has a dependency cycle');
  return order;
}

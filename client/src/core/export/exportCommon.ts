import { checkParamValue, ParamError, parseParamValue } from '../runner/params';
import type { PipelinePlan } from '../runner/plan';
import type { ParamSpec, ParamValue } from '../runner/types';
import { ExportError } from './stepScript';

/** A Kubernetes-style name: lowercase letters, digits and `-`, starting and ending with a letter or digit. */
export function k8sName(text: string, max = 63): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return name || 'step';
}

/** Each step's task name on the engine; two steps that would share one are an error naming both. */
export function taskNames(plan: PipelinePlan): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const id of plan.steps) {
    const name = k8sName(id);
    const other = taken.get(name);
    if (other !== undefined)
      throw new ExportError(`steps ${other} and ${id} would both be the task ${name} on the engine; rename one of them`);
    taken.set(name, id);
    names.set(id, name);
  }
  return names;
}

/** Each step's image: its own, else the pipeline's. Steps with neither are named, all of them. */
export function stepImages(plan: PipelinePlan): Map<string, string> {
  const images = new Map<string, string>();
  const missing: string[] = [];
  for (const id of plan.steps) {
    const image = plan.byId.get(id)!.image ?? plan.image;
    if (image) images.set(id, image);
    else missing.push(id);
  }
  if (missing.length)
    throw new ExportError(
      `no container image for step${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: set \`image\` on ${missing.length === 1 ? 'it' : 'each'}, or a top-level \`image\` for every step`,
    );
  return images;
}

/** The pipeline's params with `--param NAME=VALUE` overrides as new defaults, each checked against its type, enum and range (ParamError names every problem). */
export function exportParams(plan: PipelinePlan, overrides: Readonly<Record<string, string>>): ParamSpec[] {
  const problems: string[] = [];
  for (const name of Object.keys(overrides))
    if (!plan.params.some((p) => p.name === name))
      problems.push(`unknown param ${name}; the pipeline declares ${plan.params.map((p) => p.name).join(', ') || 'no params'}`);
  const params = plan.params.map((spec) => {
    const given = overrides[spec.name];
    // YAML reads `100` as a number; a string or path param's value is its text.
    let value: ParamValue | undefined =
      spec.default !== undefined && (spec.type === 'string' || spec.type === 'path') ? String(spec.default) : spec.default;
    if (given !== undefined) {
      const parsed = parseParamValue(spec, given);
      if ('error' in parsed) problems.push(parsed.error);
      else value = parsed.value;
    }
    if (value !== undefined) {
      const problem = checkParamValue(spec, value);
      if (problem) problems.push(given === undefined ? `default of ${problem}` : problem);
    }
    return { ...spec, ...(value !== undefined ? { default: value } : {}) };
  });
  if (problems.length) throw new ParamError(problems.join('; '));
  return params;
}

/** Seconds from milliseconds, rounded up: an engine counts whole seconds. */
export const seconds = (ms: number) => Math.ceil(ms / 1000);

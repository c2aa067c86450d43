import type { ParamValue } from '../../core/runner/types';

/** The `mlops` task type (package.json "taskDefinitions"). No vscode: unit-tested. */
export const TASK_TYPE = 'mlops';
export const TASK_SOURCE = 'mlops';

export interface MlopsTaskDefinition {
  readonly type: typeof TASK_TYPE;
  /** The pipeline file, relative to the workspace folder. */
  readonly pipeline: string;
  /** Param overrides; strings are read as the param's type. */
  readonly params?: Readonly<Record<string, ParamValue>>;
}

/** A tasks.json entry read as an `mlops` task, or why it is not one. */
export function readTaskDefinition(definition: { readonly [key: string]: unknown }): MlopsTaskDefinition | { error: string } {
  const { pipeline, params } = definition;
  if (typeof pipeline !== 'string' || pipeline.trim() === '')
    return { error: 'an mlops task needs "pipeline": the path of a *.pipeline.yaml file, relative to the workspace folder' };
  if (params === undefined) return { type: TASK_TYPE, pipeline };
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    return { error: '"params" of an mlops task must be an object of param name to value' };
  const values: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return { error: `param ${name} of an mlops task must be a string, a number or a boolean` };
    }
    values[name] = value;
  }
  return { type: TASK_TYPE, pipeline, params: values };
}

/** "run churn.pipeline.yaml", the task's name in Run Task. */
export function taskName(definition: MlopsTaskDefinition): string {
  const params = Object.entries(definition.params ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  return `run ${definition.pipeline.replace(/\\/g, '/')}${params.length ? ` (${params.join(', ')})` : ''}`;
}

/** docs/formats.md (section Pipeline files): a pipeline's name. */
export const PIPELINE_NAME = /^[a-z0-9][a-z0-9_-]{0,127}$/;

/** Why `name` is not a valid pipeline name, or undefined when it is. */
export function pipelineNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a pipeline name is required';
  if (name.length > 128) return 'a pipeline name has at most 128 characters';
  if (!PIPELINE_NAME.test(name)) {
    return 'use lower-case letters, digits, `-` and `_`, starting with a letter or digit (for example `customer-churn`)';
  }
  return undefined;
}

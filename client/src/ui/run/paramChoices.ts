import type { ParamSpec, ParamValue } from '../../core/runner/types';

/** How a param is asked for: a pick among fixed values, or typed text checked as it is typed. No vscode: unit-tested. */
export type ParamQuestion =
  | { readonly kind: 'pick'; readonly title: string; readonly choices: readonly ParamChoice[] }
  | { readonly kind: 'text'; readonly title: string; readonly value: string; readonly prompt: string };

export interface ParamChoice {
  readonly label: string;
  readonly value: ParamValue;
  readonly description?: string;
}

export function paramQuestion(spec: ParamSpec, index: number, count: number): ParamQuestion {
  const title = `Run with params (${index + 1}/${count}): ${spec.name}`;
  const values: readonly ParamValue[] | undefined = spec.enum ?? (spec.type === 'bool' ? [true, false] : undefined);
  if (values) {
    // The default first, so that Enter keeps it.
    const ordered =
      spec.default === undefined ? values : [...values.filter((v) => v === spec.default), ...values.filter((v) => v !== spec.default)];
    return {
      kind: 'pick',
      title,
      choices: ordered.map((value) => ({ label: String(value), value, ...(value === spec.default ? { description: 'default' } : {}) })),
    };
  }
  return { kind: 'text', title, value: spec.default === undefined ? '' : String(spec.default), prompt: paramPrompt(spec) };
}

/** "float between 0 and 1 · the share of rows held out", shown under the input box. */
export function paramPrompt(spec: ParamSpec): string {
  const range =
    spec.min !== undefined && spec.max !== undefined
      ? ` between ${spec.min} and ${spec.max}`
      : spec.min !== undefined
        ? ` ≥ ${spec.min}`
        : spec.max !== undefined
          ? ` ≤ ${spec.max}`
          : '';
  const required = spec.default === undefined ? ' (required)' : '';
  return `${spec.type}${range}${required}${spec.description ? ` · ${spec.description}` : ''}`;
}

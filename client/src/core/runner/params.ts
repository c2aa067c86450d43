import type { ParamSpec, ParamValue } from './types';

/** A param value that breaks its declaration; the message names the param and the rule. */
export class ParamError extends Error {
  override readonly name = 'ParamError';
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads `text` (from `--param k=v` or an input box) as the param's type and checks enum, min and max. */
export function parseParamValue(spec: ParamSpec, text: string): { value: ParamValue } | { error: string } {
  const trimmed = text.trim();
  let value: ParamValue;
  switch (spec.type) {
    case 'int':
      if (!INT.test(trimmed)) return { error: `${spec.name} must be an integer, got ${JSON.stringify(text)}` };
      value = Number(trimmed);
      if (!Number.isSafeInteger(value)) return { error: `${spec.name} is out of the integer range: ${trimmed}` };
      break;
    case 'float':
      if (!FLOAT.test(trimmed)) return { error: `${spec.name} must be a number, got ${JSON.stringify(text)}` };
      value = Number(trimmed);
      break;
    case 'bool':
      if (!/^(true|false)$/i.test(trimmed)) return { error: `${spec.name} must be true or false, got ${JSON.stringify(text)}` };
      value = trimmed.toLowerCase() === 'true';
      break;
    case 'path':
      if (trimmed === '') return { error: `${spec.name} must be a path, got an empty value` };
      value = text;
      break;
    default:
      value = text;
  }
  const problem = checkParamValue(spec, value);
  return problem ? { error: problem } : { value };
}

/** Why `value` is not allowed for `spec`, or undefined when it is. */
export function checkParamValue(spec: ParamSpec, value: ParamValue): string | undefined {
  const expected = spec.type === 'int' || spec.type === 'float' ? 'number' : spec.type === 'bool' ? 'boolean' : 'string';
  if (typeof value !== expected || (spec.type === 'int' && !Number.isInteger(value))) {
    return `${spec.name} must be ${spec.type === 'int' ? 'an integer' : `a ${spec.type}`}, got ${JSON.stringify(value)}`;
  }
  if (spec.enum && !spec.enum.some((allowed) => allowed === value)) {
    return `${spec.name} must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`;
  }
  if (typeof value === 'number') {
    if (spec.min !== undefined && value < spec.min) return `${spec.name} must be at least ${spec.min}, got ${value}`;
    if (spec.max !== undefined && value > spec.max) return `${spec.name} must be at most ${spec.max}, got ${value}`;
  }
  return undefined;
}

/**
 * Defaults plus overrides, every value checked. Strings given for a typed
 * param are parsed (`--param n_estimators=200`). Throws ParamError naming every
 * problem: an unknown name, a bad value, a param without default and value.
 */
export function resolveParams(
  specs: readonly ParamSpec[],
  overrides: Readonly<Record<string, ParamValue>> = {},
): Record<string, ParamValue> {
  const problems: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const name of Object.keys(overrides)) {
    if (!byName.has(name))
      problems.push(`unknown param ${name}; the pipeline declares ${specs.map((s) => s.name).join(', ') || 'no params'}`);
  }
  const out: Record<string, ParamValue> = {};
  for (const spec of specs) {
    const given = overrides[spec.name];
    if (given === undefined) {
      if (spec.default === undefined) {
        problems.push(`param ${spec.name} has no default; give a value with --param ${spec.name}=...`);
        continue;
      }
      const problem = checkParamValue(spec, spec.default);
      if (problem) problems.push(`default of ${problem}`);
      out[spec.name] = spec.default;
      continue;
    }
    const parsed =
      typeof given === 'string' && spec.type !== 'string' && spec.type !== 'path'
        ? parseParamValue(spec, given)
        : checkOrValue(spec, given);
    if ('error' in parsed) problems.push(parsed.error);
    else out[spec.name] = parsed.value;
  }
  if (problems.length > 0) throw new ParamError(problems.join('; '));
  return out;
}

function checkOrValue(spec: ParamSpec, value: ParamValue): { value: ParamValue } | { error: string } {
  const problem = checkParamValue(spec, value);
  return problem ? { error: problem } : { value };
}

/** `k=v` pairs from the command line; the value may contain `=`. */
export function parseParamArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at <= 0) throw new ParamError(`--param expects NAME=VALUE, got ${JSON.stringify(arg)}`);
    out[arg.slice(0, at).trim()] = arg.slice(at + 1);
  }
  return out;
}

// MLflow's input rules (mlflow/utils/validation.py), with its limits and its wording, so clients
// that match on messages see what MLflow would tell them.
import { invalid } from './errors';

export const LIMITS = {
  paramsTagsPerBatch: 100,
  metricsPerBatch: 1000,
  entitiesPerBatch: 1000,
  paramValue: 6000,
  tagValue: 8000,
  entityKey: 250,
  experimentName: 500,
  experimentTagKey: 250,
  experimentTagValue: 5000,
  registryTagKey: 250,
  registryTagValue: 5000,
  aliasName: 255,
  datasetName: 500,
  datasetDigest: 36,
  datasetSchema: 1048575,
  datasetSource: 65535,
  datasetProfile: 16777215,
  inputTagKey: 255,
  inputTagValue: 500,
} as const;

/** Python's `\w` is Unicode-aware: letters, digits and underscore of any script. */
const NAME = /^[/\p{L}\p{N}\p{M}_.\- :]*$/u;
const ALIAS = /^[\p{L}\p{N}\p{M}_-]*$/u;
const VERSION_ALIAS = /^[vV]\d+$/;

export function invalidValue(path: string, value: unknown, message?: string): string {
  const shown = JSON.stringify(value ?? null);
  return message
    ? `Invalid value ${shown} for parameter '${path}' supplied: ${message}`
    : `Invalid value ${shown} for parameter '${path}' supplied.`;
}

export const missingValue = (path: string) => `Missing value for required parameter '${path}'.`;

/** posixpath.normpath, enough to tell whether a name would name a different file. */
function normpath(name: string): string {
  if (name === '') return '.';
  const absolute = name.startsWith('/');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

function pathNotUnique(name: string): boolean {
  const norm = normpath(name);
  return norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/');
}

const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).';

/** Metric, param and tag keys: also file names in MLflow's file store, hence the path rule. */
export function validateKey(name: string | undefined, path: string, what: string): void {
  if (name === undefined || name === null)
    throw invalid(invalidValue(path, '', `${what} name cannot be None. A key name must be provided.`));
  if (!NAME.test(name)) throw invalid(invalidValue(path, name, BAD_CHARACTERS));
  if (pathNotUnique(name)) {
    throw invalid(
      invalidValue(
        path,
        name,
        `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normpath(name)}'`,
      ),
    );
  }
}

/**
 * Whether `s` has more than `limit` code points, as Python's `len(str)` counts them (a surrogate
 * pair is one; a lone surrogate is one too). Counts only when the UTF-16 length leaves it open.
 */
function longerThan(s: string, limit: number): boolean {
  const units = s.length;
  // Code points lie between half the UTF-16 units (all pairs) and all of them (no pairs).
  if (units <= limit) return false;
  if (units > 2 * limit) return true;
  return codePointLength(s, units - limit) > limit;
}

/**
 * Code points in `s`: its UTF-16 units less one per surrogate pair. Stops once `maxPairs` pairs
 * are found, as a length checker needs no more than that to know the answer.
 */
function codePointLength(s: string, maxPairs = Infinity): number {
  let pairs = 0;
  const last = s.length - 1;
  for (let i = 0; i < last && pairs < maxPairs; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return s.length - pairs;
}

/** MLflow's length limits count characters as Python does: code points, not UTF-16 units. */
export function validateLength(path: string, limit: number, value: string | undefined): void {
  if (value !== undefined && longerThan(value, limit)) throw invalid(`'${path}' exceeds the maximum length of ${limit} characters`);
}

export function validateParam(key: string, value: string, path = ''): void {
  validateKey(key, join(path, 'key'), 'Param');
  validateLength(join(path, 'key'), LIMITS.entityKey, key);
  validateLength(join(path, 'value'), LIMITS.paramValue, value);
}

export function validateTag(key: string, value: string, path = ''): void {
  validateKey(key, join(path, 'key'), 'Tag');
  validateLength(join(path, 'key'), LIMITS.entityKey, key);
  validateLength(join(path, 'value'), LIMITS.tagValue, value);
}

export function validateExperimentTag(key: string, value: string): void {
  validateKey(key, 'key', 'Tag');
  validateLength('key', LIMITS.experimentTagKey, key);
  validateLength('value', LIMITS.experimentTagValue, value);
}

export function validateRegistryTag(key: string, value: string): void {
  validateKey(key, 'key', 'Tag');
  validateLength('key', LIMITS.registryTagKey, key);
  validateLength('value', LIMITS.registryTagValue, value);
}

export function validateMetric(key: string, value: number, timestamp: number, step: number, path = '', keyChecked = false): void {
  if (!keyChecked) validateKey(key, join(path, 'name'), 'Metric');
  if (typeof value !== 'number') {
    throw invalid(
      invalidValue(join(path, 'value'), value, `(timestamp=${timestamp}). Please specify value as a valid double (64-bit floating point)`),
    );
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw invalid(
      invalidValue(
        join(path, 'timestamp'),
        timestamp,
        `metric '${key}' (value=${value}). Timestamp must be a nonnegative long (64-bit integer) `,
      ),
    );
  }
  if (!Number.isSafeInteger(step)) {
    throw invalid(invalidValue(join(path, 'step'), step, `metric '${key}' (value=${value}). Step must be a valid long (64-bit integer).`));
  }
  if (!keyChecked) validateLength('Metric name', LIMITS.entityKey, key);
}

export function validateBatchLimit(entity: string, limit: number, length: number): void {
  if (length > limit) {
    throw invalid(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`,
    );
  }
}

export function validateExperimentName(name: string | undefined): void {
  if (name === undefined || name === '') throw invalid(`Invalid experiment name: '${name ?? ''}'`);
  validateLength('name', LIMITS.experimentName, name);
}

export function validateModelName(name: string | undefined, path = 'name'): void {
  if (name === undefined || name === '') throw invalid(missingValue(path));
}

/** Model versions are strings on the wire and integers in the store. */
export function parseVersion(version: string | number | undefined): number {
  const text = String(version ?? '');
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw invalid(`Parameter 'version' must be an integer, got '${text}'.`);
  return Number.parseInt(text, 10);
}

export function validateAliasName(alias: string | undefined): void {
  if (alias === undefined || alias === '') throw invalid('Registered model alias name cannot be empty.');
  if (!ALIAS.test(alias))
    throw invalid(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  validateLength('Registered model alias name', LIMITS.aliasName, alias);
  if (alias.toLowerCase() === 'latest') throw invalid("'latest' alias name (case insensitive) is reserved.");
  if (VERSION_ALIAS.test(alias)) throw invalid(`Version alias name '${alias}' is reserved.`);
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

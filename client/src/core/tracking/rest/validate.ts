// Request messages as MLflow's handlers read them: a JSON body, or for GET the query string
// (repeated parameters for lists), checked against the message's fields. Unknown fields are
// ignored, as protobuf's parser does for MLflow.
import { RestError } from './errors';

/** `json`: any JSON object, passed through as is (a monitor result's payload). */
export type Scalar = 'string' | 'int64' | 'double' | 'bool' | 'json' | { enum: readonly string[] };
export type FieldType = Scalar | { list: Scalar | MessageSchema } | MessageSchema;
export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  /** What the operation gets when the field is absent: protobuf's default, as MLflow's handlers read it. */
  absent?: unknown;
}
export interface MessageSchema {
  /** Field names and specs, as a list: a log-batch checks a thousand metric messages per request. */
  fields: readonly (readonly [string, FieldSpec])[];
}

export const msg = (fields: Record<string, FieldType | FieldSpec>): MessageSchema => ({
  fields: Object.entries(fields).map(([k, v]) => [k, isSpec(v) ? v : { type: v }] as const),
});
export const required = (type: FieldType): FieldSpec => ({ type, required: true });
/** An optional string field read as '' when absent (a tag's value), as protobuf gives it to MLflow. */
export const emptyIfAbsent: FieldSpec = { type: 'string', absent: '' };
export const list = (of: Scalar | MessageSchema): FieldType => ({ list: of });
export const oneOf = (values: readonly string[]): Scalar => ({ enum: values });

function isSpec(v: FieldType | FieldSpec): v is FieldSpec {
  return typeof v === 'object' && 'type' in v;
}
const isMessage = (t: FieldType): t is MessageSchema => typeof t === 'object' && 'fields' in t;
const isList = (t: FieldType): t is { list: Scalar | MessageSchema } => typeof t === 'object' && 'list' in t;

const SEE_DOCS = ' See the API docs for more information about request parameters.';

/** Python's name for a JSON value's type, as MLflow's messages show it. */
function pyType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  return 'dict';
}

/** Longest quote of a refused value in a message: a 16 MiB array is not sent back whole. */
const QUOTE_LIMIT = 200;

/** The value as JSON, cut at QUOTE_LIMIT characters. */
function quote(value: unknown): string {
  // JSON has no Infinity (a `1e400` in a body parses to it): show it as such, not as `null`.
  const text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}... (${text.length} characters)` : text;
}

function wrongType(path: string, value: unknown): RestError {
  return new RestError(
    400,
    'INVALID_PARAMETER_VALUE',
    `Invalid value ${quote(value)} for parameter '${path}' supplied. Hint: Value was of type '${pyType(value)}'.${SEE_DOCS}`,
  );
}

const LONE_SURROGATE = /\p{Cs}/u;
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function scalar(type: Scalar, value: unknown, path: string): unknown {
  if (type === 'string') {
    if (typeof value !== 'string') throw wrongType(path, value);
    // A lone surrogate (JSON's "\ud800") is no character: UTF-8 cannot store it, and MLflow fails to.
    if (LONE_SURROGATE.test(value))
      throw new RestError(
        400,
        'INVALID_PARAMETER_VALUE',
        `Invalid value ${quote(value)} for parameter '${path}' supplied: it holds a lone UTF-16 surrogate, which is not a character.${SEE_DOCS}`,
      );
    return value;
  }
  if (type === 'int64') {
    // Protobuf's JSON writes int64 as a string; query strings are strings too. Protobuf refuses
    // spaces in them (MLflow would answer 400), so they are refused here too.
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw wrongType(path, value);
    return n;
  }
  if (type === 'double') {
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
    // A decimal number in a string, as Python's float() reads it; not JS's hex, binary or octal.
    const n = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
    // A JSON number is finite unless it overflowed (1e400), which protobuf refuses.
    if (typeof n !== 'number' || !Number.isFinite(n)) throw wrongType(path, value);
    return n;
  }
  if (type === 'json') {
    // Query strings carry no objects: a GET route never declares a json field.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(path, value);
    return value;
  }
  if (type === 'bool') {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    throw wrongType(path, value);
  }
  if (typeof value !== 'string' || !type.enum.includes(value)) {
    throw new RestError(
      400,
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${quote(value)} for parameter '${path}' supplied: expected one of ${type.enum.join(', ')}.${SEE_DOCS}`,
    );
  }
  return value;
}

function field(type: FieldType, value: unknown, path: string): unknown {
  if (isList(type)) {
    if (!Array.isArray(value)) throw wrongType(path, value);
    return value.map((item, i) => field(type.list, item, `${path}[${i}]`));
  }
  if (isMessage(type)) return message(type, value, path);
  return scalar(type, value, path);
}

function message(schema: MessageSchema, value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(path || 'body', value);
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, spec] of schema.fields) {
    const at = path ? `${path}.${name}` : name;
    const v = input[name];
    // Protobuf treats null as absent; MLflow's required check also refuses empty strings.
    if (v === undefined || v === null) {
      if (spec.required) throw new RestError(400, 'INVALID_PARAMETER_VALUE', `Missing value for required parameter '${at}'.${SEE_DOCS}`);
      if (spec.absent !== undefined) out[name] = spec.absent;
      continue;
    }
    out[name] = field(spec.type, v, at);
    if (spec.required && out[name] === '')
      throw new RestError(400, 'INVALID_PARAMETER_VALUE', `Missing value for required parameter '${at}'.${SEE_DOCS}`);
  }
  return out;
}

/** Checks a parsed JSON body against the request message's schema. */
export function fromBody(schema: MessageSchema, body: unknown): Record<string, unknown> {
  return message(schema, body ?? {}, '');
}

/** Builds the message from query parameters: repeated ones for list fields, the first otherwise. */
export function fromQuery(schema: MessageSchema, query: URLSearchParams): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [name, spec] of schema.fields) {
    if (!query.has(name)) continue;
    raw[name] = isList(spec.type) ? query.getAll(name) : query.get(name);
  }
  return message(schema, raw, '');
}

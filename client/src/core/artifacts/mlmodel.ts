// An MLflow model folder's `MLmodel` file, read into what the model panel shows: its flavors (and
// their settings), the signature's inputs, outputs and params as tables, and where the input
// example is. No vscode; the panel (client/src/ui/trees/modelPanel.ts) only draws it.
import { parse } from 'yaml';
import type { InputExample, MlModelSummary, ModelView, SignatureField } from '../../../../common/src/protocol/modelMessages';

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/** Reads an MLmodel file's text; `where` names it in errors (a path, or `run <id>: model/MLmodel`). */
export function parseMlModel(text: string, where: string): MlModelSummary {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
      cause: error,
    });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${where} is not an MLflow MLmodel file (not a mapping)`);
  const model = doc as Record<string, unknown>;
  const flavors = model['flavors'];
  if (!flavors || typeof flavors !== 'object' || Array.isArray(flavors))
    throw new Error(`${where} has no flavors: it is not an MLflow MLmodel file`);
  const summary: MlModelSummary = {
    flavors: Object.entries(flavors as Record<string, unknown>).map(([name, settings]) => ({ name, settings: flatten(settings) })),
  };
  const artifactPath = str(model['artifact_path']);
  if (artifactPath) summary.artifactPath = artifactPath;
  const runId = str(model['run_id']);
  if (runId) summary.runId = runId;
  const created = str(model['utc_time_created']);
  if (created) summary.created = created;
  const version = str(model['mlflow_version']);
  if (version) summary.mlflowVersion = version;
  const uuid = str(model['model_uuid']);
  if (uuid) summary.modelUuid = uuid;
  if (typeof model['model_size_bytes'] === 'number') summary.sizeBytes = model['model_size_bytes'];
  const signature = model['signature'];
  if (signature && typeof signature === 'object') {
    const s = signature as Record<string, unknown>;
    summary.signature = {
      inputs: signatureFields(s['inputs'], `${where}: signature.inputs`),
      outputs: signatureFields(s['outputs'], `${where}: signature.outputs`),
      params: signatureFields(s['params'], `${where}: signature.params`),
    };
  }
  const example = model['saved_input_example_info'];
  if (example && typeof example === 'object') {
    const info = example as Record<string, unknown>;
    const path = str(info['artifact_path']);
    if (path) summary.inputExample = { path, ...(str(info['type']) ? { type: str(info['type'])! } : {}) };
  }
  return summary;
}

function flatten(settings: unknown): [string, string][] {
  if (!settings || typeof settings !== 'object' || Array.isArray(settings))
    return settings === undefined ? [] : [['', str(settings) ?? '']];
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(settings as Record<string, unknown>)) {
    if (value && typeof value === 'object' && !Array.isArray(value))
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) out.push([`${key}.${inner}`, str(v) ?? 'null']);
    else out.push([key, str(value) ?? 'null']);
  }
  return out;
}

/** MLflow keeps each part of the signature as a JSON string of specs (a list, or null). */
function signatureFields(spec: unknown, where: string): SignatureField[] {
  if (spec === undefined || spec === null || spec === '' || spec === 'null') return [];
  let list: unknown = spec;
  if (typeof spec === 'string') {
    try {
      list = JSON.parse(spec);
    } catch (error) {
      throw new Error(`${where} is not JSON: ${spec.slice(0, 80)}`, { cause: error });
    }
  }
  if (list === null) return [];
  if (!Array.isArray(list)) throw new Error(`${where} is not a list of columns or tensors`);
  return list.map((item: unknown) => {
    const f = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    const tensor = f['tensor-spec'] as { dtype?: unknown; shape?: unknown } | undefined;
    const field: SignatureField = {
      name: str(f['name']) ?? '',
      type: f['type'] === 'tensor' && tensor ? `tensor ${str(tensor.dtype) ?? '?'}` : typeName(f),
      optional: f['required'] === false || 'default' in f,
    };
    if (tensor && Array.isArray(tensor.shape)) field.shape = `(${tensor.shape.join(', ')})`;
    else if (Array.isArray(f['shape'])) field.shape = `(${(f['shape'] as unknown[]).join(', ')})`;
    if ('default' in f) field.default = str(f['default']) ?? 'null';
    return field;
  });
}

/** A column type: `double`, or nested specs (`array<long>`, `object`) as MLflow writes them. */
function typeName(f: Record<string, unknown>): string {
  const type = str(f['type']) ?? '?';
  if (type === 'array' && f['items'] && typeof f['items'] === 'object') return `array<${typeName(f['items'] as Record<string, unknown>)}>`;
  return type;
}

/** An input example as a table, when it is one (split, records or columns orient); else undefined. */
export function exampleTable(example: unknown, maxRows = 50): { columns: string[]; rows: string[][]; total: number } | undefined {
  const cell = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  if (!example || typeof example !== 'object') return undefined;
  if (!Array.isArray(example)) {
    const o = example as Record<string, unknown>;
    if (o['dataframe_split']) return exampleTable(o['dataframe_split'], maxRows);
    if (o['dataframe_records']) return exampleTable(o['dataframe_records'], maxRows);
    if (Array.isArray(o['data'])) {
      const data = o['data'] as unknown[];
      const columns = Array.isArray(o['columns']) ? (o['columns'] as unknown[]).map(cell) : [];
      const rows = data.slice(0, maxRows).map((r) => (Array.isArray(r) ? r.map(cell) : [cell(r)]));
      const width = Math.max(columns.length, ...rows.map((r) => r.length));
      return { columns: Array.from({ length: width }, (_, i) => columns[i] ?? String(i)), rows, total: data.length };
    }
    // Tensors (`inputs`, `instances`, as MLflow's serving format spells them) stay JSON text.
    if ('inputs' in o || 'instances' in o) return undefined;
    // Columns orient: every value a list.
    const entries = Object.entries(o);
    if (entries.length > 0 && entries.every(([, v]) => Array.isArray(v))) {
      const length = Math.max(...entries.map(([, v]) => (v as unknown[]).length));
      const rows = Array.from({ length: Math.min(length, maxRows) }, (_, i) => entries.map(([, v]) => cell((v as unknown[])[i] ?? '')));
      return { columns: entries.map(([k]) => k), rows, total: length };
    }
    return undefined;
  }
  if (example.length > 0 && example.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    const columns = [...new Set(example.flatMap((r) => Object.keys(r as object)))];
    const rows = example.slice(0, maxRows).map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c] ?? '')));
    return { columns, rows, total: example.length };
  }
  return undefined;
}

/** Input examples larger than this are not read (the panel says so). */
const EXAMPLE_MAX_BYTES = 2 * 1024 * 1024;
const EXAMPLE_TEXT_CHARS = 20_000;

/**
 * Everything the model panel shows of one model folder. `read` returns a file of the folder
 * (relative to it), or undefined when it is not there; `where` names the folder in messages.
 */
export async function readModelFolder(
  read: (relative: string) => Promise<Uint8Array | undefined>,
  title: string,
  where: string,
): Promise<ModelView> {
  const file = await read('MLmodel');
  if (!file) throw new Error(`${where} has no MLmodel file: it is not an MLflow model folder`);
  const model = parseMlModel(new TextDecoder().decode(file), `${where}/MLmodel`);
  const view: ModelView = { title, where, model };
  const examplePath = model.inputExample?.path ?? 'input_example.json';
  let data: Uint8Array | undefined;
  try {
    data = await read(examplePath);
  } catch (error) {
    view.exampleProblem = `${examplePath} could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return view;
  }
  if (!data) {
    if (model.inputExample) view.exampleProblem = `the MLmodel file names ${examplePath}, which is not in the folder`;
    return view;
  }
  if (data.byteLength > EXAMPLE_MAX_BYTES) {
    view.exampleProblem = `${examplePath} is ${Math.round(data.byteLength / 1024 / 1024)} MB: too large to show here`;
    return view;
  }
  view.example = inputExample(examplePath, new TextDecoder().decode(data));
  return view;
}

function inputExample(path: string, text: string): InputExample {
  try {
    const table = exampleTable(JSON.parse(text));
    if (table) return { path, table };
  } catch {
    // Not JSON: shown as text.
  }
  return { path, text: text.slice(0, EXAMPLE_TEXT_CHARS), truncated: text.length > EXAMPLE_TEXT_CHARS };
}

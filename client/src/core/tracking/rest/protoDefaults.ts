import type { RepositoryMethod } from '../repository';

// MLflow's server writes protobuf JSON, which leaves out a repeated field that is empty: a run with
// no metrics has no `data.metrics`, a search that finds nothing answers `{}`. Our own endpoint
// writes the empty lists. The REST client puts them back, so that callers see one shape from both.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function lists(o: Obj, ...keys: string[]): void {
  for (const k of keys) if (!Array.isArray(o[k])) o[k] = [];
}
const each = (v: unknown, fill: (o: Obj) => void): void => {
  if (Array.isArray(v)) for (const item of v) if (isObj(item)) fill(item);
};

function run(r: Obj): void {
  if (!isObj(r.data)) r.data = {};
  lists(r.data as Obj, 'metrics', 'params', 'tags');
  if (!isObj(r.inputs)) r.inputs = {};
  lists(r.inputs as Obj, 'dataset_inputs');
  each((r.inputs as Obj).dataset_inputs, (d) => lists(d, 'tags'));
}
const experiment = (e: Obj): void => lists(e, 'tags');
const version = (v: Obj): void => lists(v, 'tags', 'aliases');
function model(m: Obj): void {
  lists(m, 'tags', 'aliases', 'latest_versions');
  each(m.latest_versions, version);
}

const MESSAGES: Record<string, (o: Obj) => void> = { run, experiment, registered_model: model, model_version: version };
const LISTS: Record<string, (o: Obj) => void> = { runs: run, experiments: experiment, registered_models: model, model_versions: version };

/** The list each answer carries at its top, when the operation has one. */
const TOP_LIST: Partial<Record<RepositoryMethod, string>> = {
  searchRuns: 'runs',
  searchExperiments: 'experiments',
  searchRegisteredModels: 'registered_models',
  searchModelVersions: 'model_versions',
  getLatestVersions: 'model_versions',
  getMetricHistory: 'metrics',
};

/** The answer to `op` with MLflow's left-out empty lists put back (in place). */
export function withEmptyLists(op: RepositoryMethod, answer: unknown): unknown {
  if (!isObj(answer)) return answer;
  const top = TOP_LIST[op];
  if (top) lists(answer, top);
  for (const [key, fill] of Object.entries(MESSAGES)) if (isObj(answer[key])) fill(answer[key] as Obj);
  for (const [key, fill] of Object.entries(LISTS)) each(answer[key], fill);
  return answer;
}

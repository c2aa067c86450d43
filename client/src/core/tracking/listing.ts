import type { Experiment, Metric, ModelVersion, RegisteredModel, Run, TrackingApi, ViewType } from './repository';
import { MlflowError } from './repository/errors';

// Whole listings over the paged MLflow operations, and experiments by name: what the runner, the
// views, the remote store and the copies between stores all read the same way, from any store.

/** Every item of a paged listing: `fetchPage` is called with each page token until none comes back. */
export async function allPages<P extends { next_page_token?: string }, T>(
  fetchPage: (pageToken: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    out.push(...(items(page) ?? []));
    token = page.next_page_token || undefined;
  } while (token);
  return out;
}

const token = (pageToken: string | undefined) => (pageToken ? { page_token: pageToken } : {});

export function allExperiments(api: Pick<TrackingApi, 'searchExperiments'>, view: ViewType = 'ACTIVE_ONLY'): Promise<Experiment[]> {
  return allPages(
    (t) => api.searchExperiments({ max_results: 1000, view_type: view, ...token(t) }),
    (page) => page.experiments,
  );
}

/** Every run of the experiments matching `filter`, oldest first. */
export function allRuns(
  api: Pick<TrackingApi, 'searchRuns'>,
  experimentIds: string[],
  options: { filter?: string; view?: ViewType } = {},
): Promise<Run[]> {
  return allPages(
    (t) =>
      api.searchRuns({
        experiment_ids: experimentIds,
        ...(options.filter ? { filter: options.filter } : {}),
        run_view_type: options.view ?? 'ACTIVE_ONLY',
        max_results: 1000,
        order_by: ['attributes.start_time ASC'],
        ...token(t),
      }),
    (page) => page.runs,
  );
}

/** A metric's whole history, in pages of 25,000 points (the most MLflow's server answers at once). */
export function metricHistory(api: Pick<TrackingApi, 'getMetricHistory'>, runId: string, key: string): Promise<Metric[]> {
  return allPages(
    (t) => api.getMetricHistory({ run_id: runId, metric_key: key, max_results: 25_000, ...token(t) }),
    (page) => page.metrics,
  );
}

export function allRegisteredModels(api: Pick<TrackingApi, 'searchRegisteredModels'>): Promise<RegisteredModel[]> {
  return allPages(
    (t) => api.searchRegisteredModels({ max_results: 1000, ...token(t) }),
    (page) => page.registered_models,
  );
}

/** Every version of one registered model. */
export function allModelVersions(api: Pick<TrackingApi, 'searchModelVersions'>, model: string): Promise<ModelVersion[]> {
  return allPages(
    (t) => api.searchModelVersions({ filter: `name = '${model.replace(/'/g, "''")}'`, max_results: 1000, ...token(t) }),
    (page) => page.model_versions,
  );
}

/** The id of the experiment called `name`, or undefined when there is none. */
export async function findExperiment(api: Pick<TrackingApi, 'getExperimentByName'>, name: string): Promise<string | undefined> {
  try {
    return (await api.getExperimentByName({ experiment_name: name })).experiment.experiment_id;
  } catch (error) {
    if (error instanceof MlflowError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') return undefined;
    throw error;
  }
}

/** The id of the experiment called `name`, created (with `tags`) when there is none; another writer creating it first is fine. */
export async function ensureExperiment(
  api: Pick<TrackingApi, 'getExperimentByName' | 'createExperiment'>,
  name: string,
  tags?: { key: string; value: string }[],
): Promise<string> {
  const found = await findExperiment(api, name);
  if (found !== undefined) return found;
  try {
    return (await api.createExperiment({ name, ...(tags ? { tags } : {}) })).experiment_id;
  } catch (error) {
    if (error instanceof MlflowError && error.errorCode === 'RESOURCE_ALREADY_EXISTS')
      return (await api.getExperimentByName({ experiment_name: name })).experiment.experiment_id;
    throw error;
  }
}

import type { TrackingApi } from '../tracking/repository';
import { keyMetricOf, runRow, type RunRow } from './runRows';

export type RunSort =
  | { readonly by: 'start_time' | 'name'; readonly descending: boolean }
  | { readonly by: 'metric'; readonly metric: string; readonly descending: boolean };

/** How the Experiments tree lists runs: an MLflow filter and a sort, the same for every experiment. */
export interface RunListQuery {
  readonly filter?: string;
  readonly sort: RunSort;
}

export const DEFAULT_QUERY: RunListQuery = { sort: { by: 'start_time', descending: true } };
export const PAGE_SIZE = 100;

/** MLflow `order_by` clauses for a sort; metric names are backquoted so `val.loss` works. */
export function orderBy(sort: RunSort): string[] {
  const direction = sort.descending ? 'DESC' : 'ASC';
  switch (sort.by) {
    case 'start_time':
      return [`attributes.start_time ${direction}`];
    case 'name':
      return [`attributes.run_name ${direction}`];
    case 'metric':
      return [`metrics.\`${sort.metric.replace(/`/g, '')}\` ${direction}`];
  }
}

export function describeQuery(query: RunListQuery): string {
  const sort = query.sort.by === 'metric' ? `metric ${query.sort.metric}` : query.sort.by === 'name' ? 'name' : 'start time';
  return `${query.filter ? `filter: ${query.filter} · ` : ''}sorted by ${sort} ${query.sort.descending ? '↓' : '↑'}`;
}

export interface RunPage {
  readonly rows: readonly RunRow[];
  readonly nextPageToken?: string;
  readonly keyMetric?: string;
}

/** One page of an experiment's runs, newest first by default; `keyMetric` is chosen on the first page and passed back for the next ones. */
export async function runsPage(
  api: TrackingApi,
  experimentId: string,
  query: RunListQuery,
  page: { token?: string; keyMetric?: string; tagged?: string } = {},
): Promise<RunPage> {
  const result = await api.searchRuns({
    experiment_ids: [experimentId],
    ...(query.filter ? { filter: query.filter } : {}),
    order_by: orderBy(query.sort),
    max_results: PAGE_SIZE,
    ...(page.token ? { page_token: page.token } : {}),
  });
  const keyMetric = page.keyMetric ?? (query.sort.by === 'metric' ? query.sort.metric : keyMetricOf(result.runs, page.tagged));
  return {
    rows: result.runs.map((run) => runRow(run, keyMetric)),
    ...(result.next_page_token ? { nextPageToken: result.next_page_token } : {}),
    ...(keyMetric ? { keyMetric } : {}),
  };
}

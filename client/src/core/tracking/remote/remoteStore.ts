import type { GetMetricSeriesRequest, Metric, MetricSeries, RepositoryMethod, TrackingApi } from '../repository';
import { metricHistory } from '../listing';
import { apiOver, isMlflowOperation, operationCaller } from '../rest/client';
import { credentialsFromEnv } from '../choice';
import { requestOptionsFromEnv, type RequestOptions, type TrackingAuth } from '../rest/request';
import { tlsFetch, tlsFromEnv } from '../rest/tls';
import { artifactTransfer, type ArtifactTransfer } from './artifacts';
import { BulkIntervalSeries } from './bulkInterval';
import { seriesOf } from './historySeries';
import { MonitorRuns } from './monitorRuns';
import { StepRuns } from './stepRuns';

/** A team's MLflow tracking server as the store: MLflow's REST API only, nothing of ours. */
export interface RemoteStore {
  readonly url: string;
  readonly api: TrackingApi;
  readonly artifacts: ArtifactTransfer;
}

/** Histories of ended runs do not change: the last few fetched are kept for the charts' zooms. */
const CACHED_HISTORIES = 16;

export function remoteStore(url: string, auth: TrackingAuth | undefined, options: Partial<RequestOptions> = {}): RemoteStore {
  const call = operationCaller(url, auth, options);
  const artifacts = artifactTransfer(url, auth, options);
  const mlflow = apiOver(call);
  const steps = new StepRuns(mlflow);
  const monitors = new MonitorRuns(mlflow, artifacts);
  const histories = new Map<string, Metric[]>();
  const bulk = new BulkIntervalSeries(url.replace(/\/+$/, ''), auth, { ...requestOptionsFromEnv(), ...options });

  /** From a history fetched before when there is one, else sampled by the server where it can, else get-history paged. */
  async function getMetricSeries(req: GetMetricSeriesRequest): Promise<MetricSeries> {
    const key = `${req.run_id}\u0000${req.metric_key}`;
    let history = histories.get(key);
    if (!history) {
      const sampled = await bulk.series(req);
      if (sampled) return sampled;
      const [{ run }, fetched] = await Promise.all([
        mlflow.getRun({ run_id: req.run_id }),
        metricHistory(mlflow, req.run_id, req.metric_key),
      ]);
      history = fetched;
      if (run.info.status !== 'RUNNING' && run.info.status !== 'SCHEDULED') {
        histories.set(key, history);
        if (histories.size > CACHED_HISTORIES) histories.delete(histories.keys().next().value!);
      }
    }
    return seriesOf(history, req);
  }

  const own: Partial<Record<RepositoryMethod, (req: never) => Promise<unknown>>> = {
    upsertStep: (req) => steps.upsert(req),
    listSteps: (req) => steps.list(req),
    findCachedStep: (req) => steps.findCached(req),
    recordMonitorResult: (req) => monitors.record(req),
    listMonitorResults: (req) => monitors.list(req),
    getMetricSeries,
  };
  const api = new Proxy({} as TrackingApi, {
    get(_target, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      const mine = own[name as RepositoryMethod];
      if (mine) return mine;
      if (isMlflowOperation(name)) return (message: object) => call(name as RepositoryMethod, message);
      return () => Promise.reject(new Error(`${name} is not available on an MLflow tracking server (${url})`));
    },
  });
  return { url, api, artifacts };
}

/** The server at `url` with the credentials and TLS settings of MLflow's client variables in `env`. */
export function remoteStoreFromEnv(url: string, env: NodeJS.ProcessEnv, options: Partial<RequestOptions> = {}): RemoteStore {
  const fetch = tlsFetch(tlsFromEnv(env));
  return remoteStore(url, credentialsFromEnv(env), { ...options, ...(fetch ? { fetch } : {}) });
}

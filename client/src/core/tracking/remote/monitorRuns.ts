import { isMonitorCheckResult } from '../../../../../common/src/monitor/result';
import { ensureExperiment, findExperiment } from '../listing';
import type { ListMonitorResultsRequest, MonitorResult, RecordMonitorResultRequest, TrackingApi } from '../repository';
import { MlflowError } from '../repository/errors';
import type { ArtifactTransfer } from './artifacts';
import { metricKey, MONITOR_RESULT_ARTIFACT, MonitorTags } from './runMapping';

type MetricPoint = { key: string; value: number; timestamp: number; step: number };

/** Per-column statistics and performance changes of a check, as MLflow metrics (finite values only). */
export function monitorMetrics(payload: unknown, time: number): MetricPoint[] {
  if (!isMonitorCheckResult(payload)) return [];
  const out: MetricPoint[] = [];
  const add = (key: string, value: number | null | undefined) => {
    if (typeof value === 'number' && Number.isFinite(value)) out.push({ key: metricKey(key), value, timestamp: time, step: 0 });
  };
  const data = payload.data;
  if (data) {
    add('drift/share', data.share);
    add('drift/drifted_columns', data.driftedColumns);
    for (const column of data.columns) {
      add(`drift/${column.column}/${column.measure}`, column.value);
      add(`drift/${column.column}/statistic`, column.statistic);
      add(`drift/${column.column}/drift`, column.drift ? 1 : 0);
    }
  }
  const performance = payload.performance;
  if (performance && 'metrics' in performance)
    for (const m of performance.metrics) {
      add(`performance/${m.metric}/current`, m.current);
      add(`performance/${m.metric}/baseline`, m.baseline);
      add(`performance/${m.metric}/change`, m.change);
    }
  return out;
}

/** The tags of a check's run; a payload that lacks a field leaves its tag out (the server refuses an empty value). */
export function monitorTags(req: RecordMonitorResultRequest): { key: string; value: string }[] {
  const tags: { key: string; value: string }[] = [
    { key: MonitorTags.monitor, value: req.monitor },
    { key: MonitorTags.status, value: req.status },
  ];
  if (isMonitorCheckResult(req.payload)) {
    if (req.payload.data) {
      tags.push({ key: MonitorTags.method, value: req.payload.data.method });
      tags.push({ key: MonitorTags.share, value: String(req.payload.data.share) });
    }
    if (typeof req.payload.file === 'string') tags.push({ key: MonitorTags.file, value: req.payload.file });
  }
  return tags;
}

/**
 * Monitor checks on a team's MLflow server: each check is a run in an experiment named after the
 * monitor, its statistics metrics, its verdict, method and share tags, and its whole result JSON
 * an artifact that the drift report reads back.
 */
export class MonitorRuns {
  constructor(
    private readonly api: TrackingApi,
    private readonly artifacts: ArtifactTransfer,
  ) {}

  async record(req: RecordMonitorResultRequest): Promise<{ id: number }> {
    if (!req.monitor) throw new MlflowError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'monitor'.");
    const time = req.time ?? Date.now();
    const experimentId = await ensureExperiment(this.api, req.monitor, [{ key: MonitorTags.kind, value: 'monitor' }]);
    const { run } = await this.api.createRun({
      experiment_id: experimentId,
      start_time: time,
      run_name: `check ${new Date(time).toISOString().slice(0, 19).replace('T', ' ')}`,
      tags: monitorTags(req),
    });
    const metrics = monitorMetrics(req.payload, time);
    for (let i = 0; i < metrics.length; i += 1000)
      await this.api.logBatch({ run_id: run.info.run_id, metrics: metrics.slice(i, i + 1000) });
    await this.artifacts.upload(run.info.artifact_uri, MONITOR_RESULT_ARTIFACT, Buffer.from(JSON.stringify(req.payload ?? null)));
    await this.api.updateRun({ run_id: run.info.run_id, status: 'FINISHED', end_time: Date.now() });
    return { id: time };
  }

  async list(req: ListMonitorResultsRequest): Promise<{ results: MonitorResult[] }> {
    const experimentId = await findExperiment(this.api, req.monitor);
    if (experimentId === undefined) return { results: [] };
    const { runs } = await this.api.searchRuns({
      experiment_ids: [experimentId],
      run_view_type: 'ACTIVE_ONLY',
      max_results: req.max_results ?? 100,
      order_by: ['attributes.start_time DESC'],
    });
    const results = await Promise.all(
      runs.map(async (run): Promise<MonitorResult> => {
        const time = run.info.start_time ?? 0;
        const status = run.data.tags.find((t) => t.key === MonitorTags.status)?.value ?? 'error';
        let payload: unknown = null;
        try {
          payload = JSON.parse((await this.artifacts.download(run.info.artifact_uri, MONITOR_RESULT_ARTIFACT)).toString('utf8')) as unknown;
        } catch {
          // A check whose result could not be uploaded still shows its verdict.
        }
        return { id: time, monitor: req.monitor, time, status, payload };
      }),
    );
    return { results };
  }
}

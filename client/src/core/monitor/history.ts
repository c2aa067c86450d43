import { isMonitorCheckResult, type MonitorHistoryEntry } from '../../../../common/src/monitor/result';
import type { TrackingApi } from '../tracking/repository';

/** The stored checks of one monitor, newest first. */
export async function monitorHistory(api: TrackingApi, monitor: string, max = 50): Promise<MonitorHistoryEntry[]> {
  const { results } = await api.listMonitorResults({ monitor, max_results: max });
  return results.map((r) => ({ time: r.time, status: r.status, result: isMonitorCheckResult(r.payload) ? r.payload : undefined }));
}

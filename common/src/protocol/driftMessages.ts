import type { MonitorCheckResult, MonitorHistoryEntry } from '../monitor/result';

/**
 * Messages of the drift report panel. The page sends `initialized` once it
 * listens; only then does the host send the report.
 */
export type DriftReportHostMessage =
  /** Host -> page: the check to show and the monitor's past checks (newest first); sent again after each new check it follows. */
  { type: 'report'; payload: { result: MonitorCheckResult; history: readonly MonitorHistoryEntry[] } };

export type DriftReportViewMessage =
  /** Page -> host: the page is ready for data. */
  | { type: 'initialized' }
  /** Page -> host: run the monitor's `on_drift.run_pipeline` (after a confirmation). */
  | { type: 'retrain' }
  /** Page -> host: check the monitor again and follow the newest check. */
  | { type: 'recheck' };

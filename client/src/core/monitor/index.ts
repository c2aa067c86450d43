/** Monitor files checked without vscode: `mlops monitor` and the editor's Monitors view. */
export { checkMonitor, type CheckMonitorOptions, type MonitorCheck } from './checkMonitor';
export { dataDriftInWorker } from './dataDriftInWorker';
export { loadMonitor, MonitorInvalidError, type MonitorConfig } from './monitorConfig';
export { metricsOfJson } from './performanceSources';
export { monitorHistory } from './history';
export { formatMonitorResult, summarizeResult } from './formatResult';
export { formatFigure } from '../drift/columnTable';
export { describeParams, driftNotice, type CheckTrigger, type DriftNotice } from './driftNotice';

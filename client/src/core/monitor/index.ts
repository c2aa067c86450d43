/** Monitor files checked without vscode: `mlops monitor` and the editor's Monitors view. */
export { checkMonitor, type MonitorCheck } from './checkMonitor';
export { dataDriftInWorker } from './dataDriftInWorker';
export { loadMonitor, MonitorInvalidError } from './monitorConfig';
export { monitorHistory } from './history';
export { formatMonitorResult, summarizeResult } from './formatResult';
export { describeParams, driftNotice, type CheckTrigger } from './driftNotice';

/** Drift statistics and reports, without vscode: used by `mlops drift`, `mlops monitor` and the extension. */
export { checkDrift, type DriftCheck } from './check';
export { type PreparedColumn } from './columns';
export { openDriftData, type DriftData } from './driftData';
export { DataFileError, resolveCurrent, resolveReference } from './dataFiles';
export { DRIFT_METHODS, isMethodChoice, type MethodChoice } from './methods';
export { performanceDrift } from './performance';
export { columnDrift, DriftInputError, selectColumns, type DriftReport } from './report';

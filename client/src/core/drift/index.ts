/** Drift statistics and reports, without vscode: used by `mlops drift`, `mlops monitor` and the extension. */
export { autoMethod, AUTO_SMALL_REFERENCE } from './autoMethod';
export { checkDrift, type DriftCheck, type DriftCheckInput } from './check';
export { chiSquareTest, type TestResult } from './chiSquare';
export { prepareColumn, type PreparedColumn } from './columns';
export { concatTables, dataFormat, readTable, readTables, type Cell, type Table } from './dataTable';
export { DataFileError, resolveCurrent, resolveReference } from './dataFiles';
export { jensenShannon } from './jensenShannon';
export { ks2samp, type KsResult } from './ks';
export { DRIFT_METHODS, isMethodChoice, METHOD_INFO, type DriftMethod, type MethodChoice } from './methods';
export { performanceDrift, type MetricDrift, type PerformanceDrift } from './performance';
export { psi } from './psi';
export {
  columnDrift,
  driftReport,
  DriftInputError,
  selectColumns,
  type ColumnDrift,
  type DriftOptions,
  type DriftReport,
  type SkippedColumn,
} from './report';
export { normedWasserstein, wassersteinDistance } from './wasserstein';
export { zTest } from './zTest';

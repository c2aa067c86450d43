// The pipeline runner (no vscode): the editor's terminal, the task provider and `mlops run` all drive it.
export { recoverAbandonedRuns } from './abandoned';
export { parseParamArgs, parseParamValue, ParamError } from './params';
export { ActiveRuns, type TrackedRun } from './activeRuns';
export { loadPipeline, PipelineInvalidError, problemsInBrief, type PipelinePlan } from './plan';
export { runPipeline } from './run';
export { formatMetric, formatSummary } from './summary';
export { formatMs } from './stepExecution';
export type * from './types';

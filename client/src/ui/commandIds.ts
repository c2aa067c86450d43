/** Every command id the extension contributes, in one place (see package.json). */
export const Commands = {
  newPipeline: 'mlops.newPipeline',
  restartServer: 'mlops.restartLanguageServer',
  showOutput: 'mlops.showOutput',
  refreshPipelines: 'mlops.refreshPipelines',
  openPipeline: 'mlops.openPipeline',
  showPipelineGraph: 'mlops.showPipelineGraph',
  runPipeline: 'mlops.runPipeline',
  runPipelineWithParams: 'mlops.runPipelineWithParams',
  runStep: 'mlops.runStep',
  cancelRun: 'mlops.cancelRun',
  showRun: 'mlops.showRun',
  showRunActions: 'mlops.showRunActions',
  checkDrift: 'mlops.checkDrift',
  showDriftReport: 'mlops.showDriftReport',
  retrainFromMonitor: 'mlops.retrainFromMonitor',
  refreshMonitors: 'mlops.refreshMonitors',
  openMonitor: 'mlops.openMonitor',
  showTrackingEndpoint: 'mlops.showTrackingEndpoint',
} as const;

/** View ids of the MLOps activity-bar container. */
export const Views = {
  pipelines: 'mlops.pipelines',
  experiments: 'mlops.experiments',
  models: 'mlops.models',
  monitors: 'mlops.monitors',
} as const;

/** Context keys the extension sets (menus' `when` clauses). */
export const ContextKeys = {
  /** A pipeline run is going in this window. */
  runActive: 'mlops.runActive',
} as const;

/** Every command id the extension contributes, in one place (see package.json). */
export const Commands = {
  newPipeline: 'mlops.newPipeline',
  restartServer: 'mlops.restartLanguageServer',
  showOutput: 'mlops.showOutput',
  refreshPipelines: 'mlops.refreshPipelines',
  openPipeline: 'mlops.openPipeline',
  showPipelineGraph: 'mlops.showPipelineGraph',
  runPipeline: 'mlops.runPipeline',
  runStep: 'mlops.runStep',
  showTrackingEndpoint: 'mlops.showTrackingEndpoint',
} as const;

/** View ids of the MLOps activity-bar container. */
export const Views = {
  pipelines: 'mlops.pipelines',
  experiments: 'mlops.experiments',
  models: 'mlops.models',
  monitors: 'mlops.monitors',
} as const;

/**
 * Every command id the extension contributes (package.json `contributes.commands`), in one place:
 * the extension registers them, the language server's code lenses invoke them, and
 * test/unit/manifest.test.ts checks them against package.json.
 */
export const Commands = {
  // Pipelines, the language server and the output
  newPipeline: 'mlops.newPipeline',
  restartServer: 'mlops.restartLanguageServer',
  showOutput: 'mlops.showOutput',
  refreshPipelines: 'mlops.refreshPipelines',
  openPipeline: 'mlops.openPipeline',
  showPipelineGraph: 'mlops.showPipelineGraph',
  // Runs (the "Run pipeline" and "Run step" code lenses among them)
  runPipeline: 'mlops.runPipeline',
  runPipelineWithParams: 'mlops.runPipelineWithParams',
  runStep: 'mlops.runStep',
  cancelRun: 'mlops.cancelRun',
  showRun: 'mlops.showRun',
  showRunActions: 'mlops.showRunActions',
  // Drift monitors (the "Check drift" code lens)
  checkDrift: 'mlops.checkDrift',
  showDriftReport: 'mlops.showDriftReport',
  retrainFromMonitor: 'mlops.retrainFromMonitor',
  refreshMonitors: 'mlops.refreshMonitors',
  openMonitor: 'mlops.openMonitor',
  // Feature Store view (the "Preview" and "Materialize" code lenses)
  previewFeatureView: 'mlops.previewFeatureView',
  materializeFeatures: 'mlops.materializeFeatures',
  getOnlineFeatures: 'mlops.getOnlineFeatures',
  buildTrainingSet: 'mlops.buildTrainingSet',
  // Exports and submission (docs/export.md)
  exportKfp: 'mlops.exportKfp',
  exportArgo: 'mlops.exportArgo',
  submitKfp: 'mlops.submitKfp',
  // The maturity ladder (docs/maturity.md)
  refreshMaturity: 'mlops.refreshMaturity',
  maturityNextAction: 'mlops.maturityNextAction',
  setUpCi: 'mlops.setUpCi',
  newFeaturesFile: 'mlops.newFeaturesFile',
  newMonitorFile: 'mlops.newMonitorFile',
  openSample: 'mlops.openSample',
  openWalkthrough: 'mlops.openWalkthrough',
  reproduceRun: 'mlops.reproduceRun',
  diffRuns: 'mlops.diffRuns',
  refreshFeatureStore: 'mlops.refreshFeatureStore',
  openFeatureDefinition: 'mlops.openFeatureDefinition',
  // Tracking store
  showTrackingEndpoint: 'mlops.showTrackingEndpoint',
  setTrackingCredentials: 'mlops.setTrackingCredentials',
  switchTrackingStore: 'mlops.switchTrackingStore',
  // Experiments view
  refreshExperiments: 'mlops.refreshExperiments',
  loadMoreRuns: 'mlops.loadMoreRuns',
  filterRuns: 'mlops.filterRuns',
  clearRunFilter: 'mlops.clearRunFilter',
  sortRuns: 'mlops.sortRuns',
  renameRun: 'mlops.renameRun',
  addRunNote: 'mlops.addRunNote',
  deleteRun: 'mlops.deleteRun',
  restoreRun: 'mlops.restoreRun',
  copyRunId: 'mlops.copyRunId',
  openRunArtifacts: 'mlops.openRunArtifacts',
  /** One artifact file of a run (a row's click): opened by its kind (images in the image preview, text read-only from a server). */
  openRunArtifact: 'mlops.openRunArtifact',
  /** An MLflow model folder's flavors, signature and input example, in a panel. */
  showModel: 'mlops.showModel',
  compareRuns: 'mlops.compareRuns',
  showMetrics: 'mlops.showMetrics',
  // Model Registry view
  refreshModels: 'mlops.refreshModels',
  promoteModel: 'mlops.promoteModel',
  registerModelFromRun: 'mlops.registerModelFromRun',
  setModelAlias: 'mlops.setModelAlias',
  removeModelAlias: 'mlops.removeModelAlias',
  copyModelUri: 'mlops.copyModelUri',
  copyModelPath: 'mlops.copyModelPath',
  openVersionRun: 'mlops.openVersionRun',
} as const;

/** Context keys the extension sets, read by `when` clauses in package.json. */
export const ContextKeys = {
  /** A pipeline run is going in this window. */
  runActive: 'mlops.runActive',
  /** The Experiments view is filtered. */
  runFilterActive: 'mlops.runFilterActive',
} as const;

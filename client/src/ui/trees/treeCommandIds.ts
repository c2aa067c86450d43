/** Commands of the Experiments and Model Registry views (issue 7); see package.json. */
export const TreeCommands = {
  refreshExperiments: 'mlops.refreshExperiments',
  loadMoreRuns: 'mlops.loadMoreRuns',
  filterRuns: 'mlops.filterRuns',
  clearRunFilter: 'mlops.clearRunFilter',
  sortRuns: 'mlops.sortRuns',
  refreshModels: 'mlops.refreshModels',
  promoteModel: 'mlops.promoteModel',
  registerModelFromRun: 'mlops.registerModelFromRun',
  setModelAlias: 'mlops.setModelAlias',
  removeModelAlias: 'mlops.removeModelAlias',
  compareRuns: 'mlops.compareRuns',
  showMetrics: 'mlops.showMetrics',
  renameRun: 'mlops.renameRun',
  addRunNote: 'mlops.addRunNote',
  deleteRun: 'mlops.deleteRun',
  restoreRun: 'mlops.restoreRun',
  copyRunId: 'mlops.copyRunId',
  copyModelUri: 'mlops.copyModelUri',
  copyModelPath: 'mlops.copyModelPath',
  openRunArtifacts: 'mlops.openRunArtifacts',
  openVersionRun: 'mlops.openVersionRun',
} as const;

/** Context keys of the trees. */
export const TreeContextKeys = {
  runFilterActive: 'mlops.runFilterActive',
} as const;

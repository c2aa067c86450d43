/**
 * Ids of the views and panels package.json names (`contributes.views`, `activationEvents`), in one
 * place; test/unit/manifest.test.ts checks them against package.json.
 */

/** Tree views of the MLOps container. */
export const Views = {
  pipelines: 'mlops.pipelines',
  experiments: 'mlops.experiments',
  models: 'mlops.models',
  monitors: 'mlops.monitors',
  featureStore: 'mlops.featureStore',
  maturity: 'mlops.maturity',
} as const;

/**
 * Webview panel types (`createWebviewPanel`). A panel with a serializer is restored after a reload, so
 * package.json activates the extension on `onWebviewPanel:<type>` for it (and for no other).
 */
export const ViewTypes = {
  pipelineGraph: 'mlops.pipelineGraph',
  driftReport: 'mlops.driftReport',
  featurePreview: 'mlops.featurePreview',
  metrics: 'mlops.metricsCharts',
  compare: 'mlops.runComparison',
  model: 'mlops.modelDetails',
} as const;

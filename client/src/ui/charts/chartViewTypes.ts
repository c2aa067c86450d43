/** The chart webview panel types; package.json activates on `onWebviewPanel:<type>` so a reload restores them. */
export const ChartViewTypes = {
  metrics: 'mlops.metricsCharts',
  compare: 'mlops.runComparison',
} as const;

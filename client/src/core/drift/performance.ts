/**
 * Performance drift, the seed's ModelMonitor.detect_drift: each listed metric of the current
 * model against the baseline (the watched version's or a run's metrics); an alert fires where
 * |current - baseline| > alertThreshold. A metric missing on either side is reported, never alerted.
 */

export interface MetricDrift {
  readonly metric: string;
  readonly baseline: number | undefined;
  readonly current: number | undefined;
  /** current - baseline, when both are known. */
  readonly change: number | undefined;
  readonly alert: boolean;
}

export interface PerformanceDrift {
  readonly metrics: readonly MetricDrift[];
  readonly alertThreshold: number;
  /** At least one metric moved by more than the threshold. */
  readonly drift: boolean;
}

export function performanceDrift(
  baseline: Readonly<Record<string, number>>,
  current: Readonly<Record<string, number>>,
  metrics: readonly string[],
  alertThreshold: number,
): PerformanceDrift {
  const rows = metrics.map((metric): MetricDrift => {
    const b = finite(baseline[metric]);
    const c = finite(current[metric]);
    const change = b !== undefined && c !== undefined ? c - b : undefined;
    return { metric, baseline: b, current: c, change, alert: change !== undefined && Math.abs(change) > alertThreshold };
  });
  return { metrics: rows, alertThreshold, drift: rows.some((r) => r.alert) };
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

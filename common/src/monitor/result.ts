/**
 * One check of a monitor file, as `mlops monitor` prints it, the tracking store keeps it
 * (`monitor_results.payload`, newest first per monitor) and the drift report webview shows it.
 * Plain JSON: no Node and no vscode, so the webview can import these types. Infinite figures
 * (chi-square with a category the reference lacks) are `null` once stored.
 */

export type MonitorStatus = 'ok' | 'drift' | 'error';

/** One compared column (the drift core's ColumnDrift, as stored). */
export interface MonitorColumnResult {
  readonly column: string;
  readonly kind: 'numeric' | 'categorical';
  readonly method: string;
  readonly statistic: number | null;
  readonly measure: 'p_value' | 'distance';
  readonly value: number | null;
  readonly threshold: number;
  readonly drift: boolean;
  readonly reference: { readonly count: number; readonly missing: number };
  readonly current: { readonly count: number; readonly missing: number };
  readonly uniqueValues: number;
  readonly ks?: { readonly location: number; readonly exact: boolean };
  /** What the report draws: histograms (or category counts) and ECDFs of both sides. */
  readonly distribution?: ColumnDistribution;
}

/** Both sides of one column, summarized for charts (a few hundred numbers at most). */
export type ColumnDistribution =
  | {
      readonly kind: 'numeric';
      /** Sturges bin edges over both samples; counts per bin for each side. */
      readonly edges: readonly number[];
      readonly reference: readonly number[];
      readonly current: readonly number[];
      /** ECDF points [x, F(x)], downsampled. */
      readonly ecdf: {
        readonly reference: readonly (readonly [number, number])[];
        readonly current: readonly (readonly [number, number])[];
      };
      /** Where the ECDFs are furthest apart (the KS distance) and their values there. */
      readonly gap: { readonly location: number; readonly reference: number; readonly current: number; readonly distance: number };
    }
  | {
      readonly kind: 'categorical';
      /** The most frequent categories; the rest are summed in `other`. */
      readonly categories: readonly string[];
      readonly reference: readonly number[];
      readonly current: readonly number[];
      readonly other?: { readonly reference: number; readonly current: number };
    };

export interface MonitorDataResult {
  /** Relative to the monitor file's folder when inside it. */
  readonly referenceFile: string;
  readonly currentFiles: readonly string[];
  readonly referenceRows: number;
  readonly currentRows: number;
  readonly method: string;
  readonly columns: readonly MonitorColumnResult[];
  readonly skipped: readonly { readonly column: string; readonly reason: string }[];
  readonly driftedColumns: number;
  readonly share: number;
  readonly datasetDriftShare: number;
  readonly datasetDrift: boolean;
}

export interface MonitorMetricResult {
  readonly metric: string;
  readonly baseline: number | null;
  readonly current: number | null;
  readonly change: number | null;
  readonly alert: boolean;
}

/** Performance against the baseline; `skipped` says why it was not compared (no live metrics yet, no version in the stage). */
export type MonitorPerformanceResult =
  | {
      readonly baseline: string;
      readonly current: string;
      readonly alertThreshold: number;
      readonly metrics: readonly MonitorMetricResult[];
      readonly drift: boolean;
    }
  | { readonly skipped: string };

export interface MonitorOnDrift {
  readonly notify: boolean;
  /** Absolute path of `on_drift.run_pipeline`. */
  readonly pipeline?: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

export interface MonitorCheckResult {
  readonly version: 1;
  readonly monitor: string;
  /** Absolute path of the monitor file. */
  readonly file: string;
  /** Epoch ms. */
  readonly time: number;
  readonly status: MonitorStatus;
  /** Why the check could not run (status `error`): a missing file, an unknown column. */
  readonly error?: string;
  readonly data?: MonitorDataResult;
  readonly performance?: MonitorPerformanceResult;
  readonly onDrift?: MonitorOnDrift;
}

/** A stored check, as the history lists it. */
export interface MonitorHistoryEntry {
  readonly time: number;
  readonly status: string;
  readonly result: MonitorCheckResult | undefined;
}

/** Whether a stored payload is a check result of this shape. */
export function isMonitorCheckResult(value: unknown): value is MonitorCheckResult {
  const v = value as Partial<MonitorCheckResult> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.version === 1 &&
    typeof v.monitor === 'string' &&
    typeof v.time === 'number' &&
    typeof v.status === 'string'
  );
}

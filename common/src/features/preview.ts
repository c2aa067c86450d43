// What "Preview Feature View" shows, and `mlops features preview --json` prints: the first rows of a
// view's source, as the view names them, and statistics of every column over all rows.

export type PreviewCell = string | number | null;

export type PreviewRole = 'join key' | 'timestamp' | 'created timestamp' | 'feature';

export interface PreviewColumn {
  /** The name in the view: the join key, the timestamp field, or the feature field. */
  readonly name: string;
  /** The source file's column, when `field_mapping` renames it. */
  readonly sourceColumn?: string;
  readonly role: PreviewRole;
  /** The declared dtype of a feature field. */
  readonly dtype?: string;
  /** Cells with a value, and cells without. */
  readonly count: number;
  readonly missing: number;
  readonly distinct: number;
  /** Numbers for numeric fields, ISO times for timestamps, text otherwise (the smallest and largest). */
  readonly min?: string | number;
  readonly max?: string | number;
  /** Numeric fields only. */
  readonly mean?: number;
  /** Values of a numeric field that are not numbers. */
  readonly invalid?: number;
  /** Numeric fields only: counts per bin of a nice scale (common/src/charts/niceBins.ts). */
  readonly histogram?: {
    readonly edges: readonly number[];
    readonly step: number;
    readonly counts: readonly number[];
    /** Whole numbers (Int32, Int64): bins hold the values from edge to next edge − 1. */
    readonly integer: boolean;
  };
}

export interface FeatureViewPreview {
  readonly view: string;
  /** The features file that defines the view, and the source it reads. */
  readonly definedIn: string;
  readonly source: { readonly name: string; readonly file: string };
  readonly ttl: string;
  readonly online: boolean;
  /** Rows in the source; `rows` holds the first of them. */
  readonly totalRows: number;
  readonly columns: readonly PreviewColumn[];
  readonly rows: readonly (readonly PreviewCell[])[];
}

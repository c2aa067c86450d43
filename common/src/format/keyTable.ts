/**
 * Key tables of the features and monitor formats: one entry per key with its
 * documentation, the shape of its value and its completion snippet. As with
 * the pipeline's table (../pipeline/schema.ts), completion, hover and the
 * schema checks all read the same entries.
 */

/** The shape a value must have; `ref` and `custom` values are checked by the format's own rules. */
export type FormatShape = 'string' | 'bool' | 'number' | 'fraction' | 'map' | 'list' | 'duration' | 'dtype' | 'ref' | 'custom';

export interface FormatKey {
  readonly key: string;
  /** Markdown, shown in completion and hover. */
  readonly doc: string;
  readonly shape: FormatShape;
  readonly required?: boolean;
  /** The only values allowed, in the order completion offers them. */
  readonly values?: readonly string[];
  /** Inserted after `key:` (LSP snippet syntax), including the separator. */
  readonly snippet?: string;
  /** `number`: the smallest value allowed. */
  readonly minimum?: number;
}

export function findKey(table: readonly FormatKey[], key: string): FormatKey | undefined {
  return table.find((k) => k.key === key);
}

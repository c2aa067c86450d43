/**
 * Key tables of the three formats: one entry per key with its documentation,
 * the shape of its value and its completion snippet. Completion, hover and
 * the schema checks (./checkKeys.ts) all read the same entries, so a key's
 * documentation and its checks never drift apart.
 */

/**
 * The shape a value must have. `string` and `scalar` accept any scalar (a
 * string, number or boolean); `int` a whole number; `fraction` a number from
 * 0 to 1; `stringOrList` a scalar or a list of scalars. `dtype`, `ref` and
 * `custom` values are checked by the format's own rules.
 */
type ValueShape =
  | 'string'
  | 'scalar'
  | 'stringOrNumber'
  | 'int'
  | 'number'
  | 'fraction'
  | 'bool'
  | 'map'
  | 'list'
  | 'stringOrList'
  | 'duration'
  | 'dtype'
  | 'ref'
  | 'custom';

export interface KeySpec {
  readonly key: string;
  /** Markdown, shown in completion and hover. */
  readonly doc: string;
  readonly shape: ValueShape;
  readonly required?: boolean;
  /** The only values allowed, in the order completion offers them. */
  readonly values?: readonly string[];
  /** How a value is called in the message about one not in `values` (`stage`); default: the key. */
  readonly valueName?: string;
  /** String values may hold `${{ }}`; `condition` allows operators and `metrics.NAME` too. */
  readonly expr?: 'value' | 'condition';
  /** `list` and `stringOrList`: every entry must be a scalar. */
  readonly scalarItems?: boolean;
  /** `duration`: `0` (number or text) is allowed and means "forever". */
  readonly zero?: boolean;
  /** `int` and `number`: the smallest value allowed. */
  readonly minimum?: number;
  /** Inserted after `key:` (LSP snippet syntax), including the separator. */
  readonly snippet?: string;
}

export function findKey(table: readonly KeySpec[], key: string): KeySpec | undefined {
  return table.find((k) => k.key === key);
}

/** `90s`, `30m`, `2h`, `1d` (docs/formats.md, section Pipeline files), and combinations largest first such as `1h30m`. */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [d, h, m, s] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number];
  return (((d * 24 + h) * 60 + m) * 60 + s) * 1000;
}

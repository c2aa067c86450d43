import type { Scalar } from 'yaml';
import type { Span } from '../expressions/ast';

/** `Feature(name="x", dtype=ValueType.INT64)`, `Feature(x, Int64)` and the like: Feast's older Python spelling of a field. */
const FEATURE_CALL =
  /^\s*Feature\s*\(\s*(?:name\s*=\s*)?["']?([A-Za-z_][\w-]*)["']?\s*(?:,\s*(?:dtype\s*=\s*)?["']?([\w.()]+?)["']?\s*)?\)\s*$/;

export interface LegacyFeature extends Span {
  readonly name: string;
  readonly dtype?: string;
  readonly dtypeSpan?: Span;
  /** The whole scalar, which the quick fix replaces. */
  readonly whole: Span;
}

/** Reads a `Feature(...)` string; positions are found in the source text of the scalar. */
export function legacyFeature(scalar: Scalar, text: string): LegacyFeature | undefined {
  const value = scalar.value;
  const range = scalar.range;
  if (typeof value !== 'string' || !range) return undefined;
  const match = FEATURE_CALL.exec(value);
  if (!match) return undefined;
  const source = text.slice(range[0], range[1]);
  const name = match[1]!;
  const nameAt = source.search(new RegExp(`\\b${name.replace(/[-]/g, '\\-')}\\b`));
  const start = range[0] + Math.max(0, nameAt);
  const dtype = match[2];
  const dtypeAt = dtype !== undefined ? source.lastIndexOf(dtype) : -1;
  return {
    name,
    start,
    end: nameAt >= 0 ? start + name.length : range[1],
    ...(dtype !== undefined ? { dtype } : {}),
    ...(dtype !== undefined && dtypeAt >= 0 ? { dtypeSpan: { start: range[0] + dtypeAt, end: range[0] + dtypeAt + dtype.length } } : {}),
    whole: { start: range[0], end: range[1] },
  };
}

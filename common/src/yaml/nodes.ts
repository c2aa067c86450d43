import { isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Span } from '../expressions/ast';

/** A name as declared: its text and the span of its key. */
export interface Declared extends Span {
  readonly name: string;
}

export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return typeof node.value === 'object' ? undefined : String(node.value);
}

export function keyOf(pair: Pair): Declared | undefined {
  const name = scalarText(pair.key);
  const range = (pair.key as Scalar | null)?.range;
  return name === undefined || !range ? undefined : { name, start: range[0], end: range[1] };
}

export function stringValue(map: YAMLMap | undefined, key: string): string | undefined {
  const value = map?.get(key, true);
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}

/** Every string scalar value below `node`, map keys excluded. */
export function forEachStringScalar(node: unknown, visit: (scalar: Scalar) => void): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') visit(node);
  } else if (isMap(node)) {
    for (const pair of node.items) forEachStringScalar(pair.value, visit);
  } else if (isSeq(node)) {
    for (const item of node.items) forEachStringScalar(item, visit);
  }
}

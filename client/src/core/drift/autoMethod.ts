/**
 * `method: auto`, Evidently's default choice (docs/formats.md, section Monitor files): by the reference's size, the
 * column's kind and its number of distinct values over both samples.
 */
import type { DriftMethod } from './methods';

/** Reference samples up to this size get the p-value tests; larger ones, distances. */
export const AUTO_SMALL_REFERENCE = 1000;

export function autoMethod(kind: 'numeric' | 'categorical', referenceCount: number, uniqueValues: number): DriftMethod {
  if (referenceCount <= AUTO_SMALL_REFERENCE) {
    if (kind === 'numeric' && uniqueValues > 5) return 'ks';
    return uniqueValues > 2 ? 'chi2' : 'z';
  }
  return kind === 'numeric' && uniqueValues > 5 ? 'wasserstein' : 'jensen_shannon';
}

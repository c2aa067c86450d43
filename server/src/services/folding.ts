import type { FoldingRange } from 'vscode-languageserver';
import { isCollection, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ParsedDocument } from '../../../common/src';

/**
 * Folding for every kind: each map entry or list item whose value spans
 * lines (block collections and block scalars) folds from its first line to
 * its last.
 */
export function foldingRanges(doc: ParsedDocument): FoldingRange[] {
  const out: FoldingRange[] = [];
  const text = doc.text;
  const add = (start: number, end: number) => {
    const startLine = text.positionAt(start).line;
    // The node's end can sit at the start of the next line; fold to the last line with content.
    const endLine = text.positionAt(Math.max(start, end - 1)).line;
    if (endLine > startLine) out.push({ startLine, endLine });
  };
  const walk = (node: unknown) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        if (key?.range && value?.range && (isCollection(value) || isScalar(value))) add(key.range[0], value.range[1]);
        walk(value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const value = item as Node | null;
        if (isCollection(value) && value.range) add(value.range[0], value.range[1]);
        walk(value);
      }
    }
  };
  walk(doc.yaml.contents);
  return out;
}

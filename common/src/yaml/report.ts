import { isCollection, isMap, isScalar, type Node, type Pair } from 'yaml';
import type { DiagnosticCode, Fix, MlopsDiagnostic, Severity } from '../diagnostics';
import type { Span } from '../expressions/ast';

/** Collects a rule's diagnostics with one call per problem. */
export class Report {
  readonly diagnostics: MlopsDiagnostic[] = [];

  add(
    code: DiagnosticCode,
    span: Span,
    message: string,
    extra: { severity?: Severity; fixes?: Fix[]; related?: MlopsDiagnostic['related'] } = {},
  ): void {
    const { severity = 'error', fixes, related } = extra;
    this.diagnostics.push({
      code,
      severity,
      message,
      start: span.start,
      end: Math.max(span.end, span.start),
      ...(fixes && fixes.length > 0 ? { fixes } : {}),
      ...(related && related.length > 0 ? { related } : {}),
    });
  }
}

/** The span of a node: a scalar or flow collection whole, a block collection by its first line's worth. */
export function valueSpan(node: Node | null | undefined, pair?: Pair): Span {
  const range = node?.range;
  if (!range) return keySpan(pair);
  if (isCollection(node) && !node.flow && pair) return keySpan(pair);
  return { start: range[0], end: range[1] };
}

export function keySpan(pair: Pair | undefined): Span {
  const range = (pair?.key as Node | null | undefined)?.range;
  return range ? { start: range[0], end: range[1] } : { start: 0, end: 0 };
}

/** How a YAML value reads in a message: `a map`, `a list`, `the number 3`, `empty`. */
export function describeValue(node: Node | null | undefined): string {
  if (!node || (isScalar(node) && (node.value === null || node.value === undefined))) return 'empty';
  if (isMap(node)) return 'a map';
  if (isCollection(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number') return `the number ${String(v)}`;
    if (typeof v === 'boolean') return `the boolean ${String(v)}`;
    if (typeof v === 'string') return 'a string';
  }
  return 'a value of another kind';
}

/** A replacement of `span`'s text. */
export function replaceFix(title: string, span: Span, newText: string, preferred = false): Fix {
  return { title, edits: [{ start: span.start, end: span.end, newText }], ...(preferred ? { preferred } : {}) };
}

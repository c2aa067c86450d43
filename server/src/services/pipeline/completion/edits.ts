import type { Range } from 'vscode-languageserver';
import type { ParsedDocument, Span } from '../../../../../common/src';

/** Offsets become line/character only here, at the edge of the reply. */
export function toRange(doc: ParsedDocument, span: Span): Range {
  return { start: doc.text.positionAt(span.start), end: doc.text.positionAt(span.end) };
}

/** A value typed right after `key:` needs a space before it (`type:int` is one plain scalar). */
export function valueLead(doc: ParsedDocument, span: Span): string {
  return doc.text.getText()[span.start - 1] === ':' ? ' ' : '';
}

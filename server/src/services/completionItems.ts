import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { KeySpec } from '../../../common/src/yaml/keyTable';
import { formatCursor, type FormatCursor } from '../../../common/src/yaml/cursor';
import type { DataColumns, ParsedDocument } from '../../../common/src';

/** Key items of a key table, less those present; a new key gets `key:` and its snippet (one line in a flow map). */
export function keyTableItems(
  table: readonly KeySpec[],
  present: readonly string[],
  cursor: Pick<FormatCursor, 'flow' | 'hasColon'>,
  range: Range,
): CompletionItem[] {
  return table
    .filter((spec) => !present.includes(spec.key))
    .map((spec, index): CompletionItem => {
      const snippet = spec.snippet ?? ' $0';
      const body = cursor.flow && snippet.includes('\n') ? ' $0' : snippet;
      return {
        label: spec.key,
        kind: CompletionItemKind.Property,
        ...(spec.required ? { detail: 'required' } : {}),
        documentation: { kind: 'markdown', value: spec.doc },
        sortText: String(index).padStart(2, '0'),
        insertTextFormat: cursor.hasColon ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
        textEdit: { range, newText: cursor.hasColon ? spec.key : `${spec.key}:${body}` },
      };
    });
}

/** Plain values (names, enum members), in the order given. */
export function valueItems(
  values: readonly string[],
  range: Range,
  kind: CompletionItemKind,
  detail?: (value: string) => string | undefined,
  lead = '',
): CompletionItem[] {
  return values.map((value, index) => {
    const d = detail?.(value);
    return {
      label: value,
      kind,
      sortText: String(index).padStart(4, '0'),
      ...(d ? { detail: d } : {}),
      textEdit: { range, newText: lead + value },
    };
  });
}

/** Column names of a data file, with their type. */
export function columnItems(
  data: DataColumns,
  file: string,
  range: Range,
  exclude: readonly string[] = [],
  extra: readonly string[] = [],
  lead = '',
): CompletionItem[] {
  const seen = new Set(exclude);
  const out: CompletionItem[] = [];
  for (const column of [...data.columns, ...extra.map((name) => ({ name, type: '' }))]) {
    if (seen.has(column.name)) continue;
    seen.add(column.name);
    out.push({
      label: column.name,
      kind: CompletionItemKind.Field,
      detail: column.type ? `${column.type}${data.inferred ? ' (inferred)' : ''}` : 'mapped name',
      documentation: `A column of ${file}`,
      sortText: String(out.length).padStart(4, '0'),
      textEdit: { range, newText: lead + column.name },
    });
  }
  return out;
}

/** A value typed right after `key:` needs a space before it. */
export function leadOf(text: string, start: number): string {
  return text[start - 1] === ':' ? ' ' : '';
}

/** Completion in a features or monitor document: `itemsAt` answers for the cursor; null when it offers nothing. */
export function formatCompletion(
  doc: ParsedDocument,
  position: Position,
  itemsAt: (cursor: FormatCursor, offset: number) => CompletionItem[] | CompletionList | undefined,
): CompletionList | null {
  const offset = doc.text.offsetAt(position);
  const cursor = formatCursor(doc, offset);
  if (!cursor) return null;
  const items = itemsAt(cursor, offset);
  if (!items) return null;
  const list = Array.isArray(items) ? { items, isIncomplete: false } : items;
  return list.items.length > 0 ? list : null;
}

import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { PIPELINE_KEYS, type ParsedDocument } from '../../../../common/src';
import { isPipelineContext, type KeyContext } from '../../../../common/src/pipeline/cursor';
import { toRange } from './edits';

/**
 * The keys of the key table allowed in the map at the cursor, less those
 * already there. A new key gets `key:` and the table's snippet; an existing
 * one (a `:` follows) is only renamed.
 */
export function keyItems(doc: ParsedDocument, context: KeyContext): CompletionItem[] {
  const kind = context.map.kind;
  if (!isPipelineContext(kind)) return [];
  const present = new Set(context.present);
  const range = toRange(doc, context.range);
  return PIPELINE_KEYS[kind]
    .filter((spec) => !present.has(spec.key))
    .map((spec, index): CompletionItem => {
      const snippet = spec.snippet ?? ' $0';
      // A flow map `{ ... }` takes no line breaks.
      const body = context.flow && snippet.includes('\n') ? ' $0' : snippet;
      return {
        label: spec.key,
        kind: CompletionItemKind.Property,
        ...(spec.required ? { detail: 'required' } : {}),
        documentation: { kind: 'markdown', value: spec.doc },
        sortText: String(index).padStart(2, '0'),
        insertTextFormat: context.hasColon ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
        textEdit: { range, newText: context.hasColon ? spec.key : `${spec.key}:${body}` },
      };
    });
}

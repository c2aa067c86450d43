import type { CompletionItem } from 'vscode-languageserver';
import { PIPELINE_KEYS, type ParsedDocument } from '../../../../../common/src';
import { isPipelineContext, type KeyContext } from '../../../../../common/src/pipeline/cursor';
import { keyTableItems } from '../../completionItems';
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
  return keyTableItems(PIPELINE_KEYS[kind], [...present], context, range);
}

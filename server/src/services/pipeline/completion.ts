import type { CompletionItem, CompletionList, Position } from 'vscode-languageserver';
import type { ParsedDocument } from '../../../../common/src';
import { cursorContext, type CursorContext } from '../../../../common/src/pipeline/cursor';
import { expressionItems } from './completion/expressions';
import { keyItems } from './completion/keys';
import { valueItems } from './completion/values';

/** What completion needs from outside the document. */
export interface CompletionEnv {
  /** Registered model names pushed by the client (`mlops/registeredModels`). */
  readonly registeredModels: readonly string[];
  /** The character that triggered the request, if one did. */
  readonly triggerCharacter?: string;
}

/**
 * Completion in a pipeline file: keys by position, enum values, step ids in
 * `needs`, references inside `${{ }}`, file paths and registered models.
 * The cursor module says where the cursor is; each kind of place has its own
 * provider under completion/.
 */
export function completion(doc: ParsedDocument, position: Position, env: CompletionEnv): CompletionList | null {
  const found = itemsAt(doc, cursorContext(doc, doc.text.offsetAt(position)), env);
  if (!found) return null;
  const { items, incomplete } = Array.isArray(found) ? { items: found, incomplete: false } : found;
  return items.length > 0 || incomplete ? { isIncomplete: incomplete, items } : null;
}

function itemsAt(
  doc: ParsedDocument,
  context: CursorContext,
  env: CompletionEnv,
): CompletionItem[] | { items: CompletionItem[]; incomplete: boolean } | undefined {
  switch (context.kind) {
    case 'none':
      return undefined;
    case 'key':
      // A space typed while indenting must not pop the key list up on every keystroke.
      return env.triggerCharacter === ' ' ? undefined : keyItems(doc, context);
    case 'expression':
      return expressionItems(doc, context);
    case 'value':
    case 'item':
      return valueItems(doc, context, env);
  }
}

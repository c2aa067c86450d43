import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver';
import type { PipelineModel } from '../../../../../common/src';
import { downstream, stepOrder } from './graph';

/** At most this many step ids per answer; the list is then marked incomplete and the editor asks again as the user types. */
export const MAX_STEP_ITEMS = 500;

export interface StepItems {
  readonly items: CompletionItem[];
  readonly incomplete: boolean;
}

/**
 * Step ids a reference from `fromStep` may name: not the step itself, not
 * one downstream of it (that would close a cycle), not one in `exclude`.
 *
 * A file may have thousands of steps, and a list of 5,000 items with edit
 * ranges is most of a megabyte on the wire. So the ids nearest to `fromStep`
 * in the file come first (earlier ones before later ones: a step mostly
 * depends on the steps just above it), found by walking outwards from it;
 * in a file with more than MAX_STEP_ITEMS steps, ids that cannot match what
 * is typed are left out, at most MAX_STEP_ITEMS are sent, and the list is
 * marked incomplete so that the editor asks again as the user types.
 */
export function stepItems(
  model: PipelineModel,
  fromStep: string | undefined,
  exclude: Iterable<string>,
  range: Range,
  typed: string,
  lead: string,
): StepItems {
  const skip = fromStep !== undefined ? downstream(model, fromStep) : new Set<string>();
  for (const name of exclude) skip.add(name);
  const { names, index } = stepOrder(model);
  const large = names.length > MAX_STEP_ITEMS;
  const needle = large ? typed.toLowerCase() : '';
  const items: CompletionItem[] = [];
  let incomplete = false;
  const consider = (name: string): void => {
    if (skip.has(name)) return;
    if (needle !== '' && !subsequence(needle, name.toLowerCase())) {
      incomplete = true;
      return;
    }
    items.push({
      label: name,
      kind: CompletionItemKind.Function,
      sortText: items.length.toString(36).padStart(3, '0'),
      textEdit: { range, newText: lead + name },
    });
  };
  const from = fromStep !== undefined ? (index.get(fromStep) ?? names.length) : names.length;
  for (let distance = 1; items.length < MAX_STEP_ITEMS; distance++) {
    const before = from - distance;
    const after = from + distance;
    if (before < 0 && after >= names.length) break;
    if (before >= 0) consider(names[before]!);
    if (after < names.length && items.length < MAX_STEP_ITEMS) consider(names[after]!);
    if (items.length >= MAX_STEP_ITEMS && (before > 0 || after < names.length - 1)) incomplete = true;
  }
  return { items, incomplete };
}

/** The editor's fuzzy filter shows an item only if what is typed is a subsequence of its label. */
function subsequence(needle: string, haystack: string): boolean {
  let at = 0;
  for (const c of needle) {
    at = haystack.indexOf(c, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

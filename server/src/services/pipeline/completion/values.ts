import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { keySpec, pipelineModel, type ParsedDocument } from '../../../../../common/src';
import { isPipelineContext, type ItemContext, type ValueContext } from '../../../../../common/src/pipeline/cursor';
import { toRange, valueLead } from './edits';
import { pathItems } from '../../pathItems';
import { stepItems } from './steps';

export interface ValueEnv {
  readonly registeredModels: readonly string[];
}

/** Values by key: enums, step ids in `needs`, registered models, file paths. */
export interface Items {
  readonly items: CompletionItem[];
  readonly incomplete: boolean;
}

export function valueItems(doc: ParsedDocument, context: ValueContext | ItemContext, env: ValueEnv): Items | CompletionItem[] {
  const { map, key } = context;
  const range = toRange(doc, context.range);
  const lead = context.kind === 'value' ? valueLead(doc, context.range) : '';
  if (map.kind === 'step' && key === 'needs' && map.step !== undefined) {
    const listed = context.kind === 'item' ? context.items : [];
    return stepItems(pipelineModel(doc), map.step, listed, range, context.prefix, lead);
  }
  if ((map.kind === 'step' && key === 'inputs') || map.kind === 'outputs' || (map.kind === 'output' && key === 'path')) {
    const step = map.step !== undefined ? pipelineModel(doc).steps.get(map.step) : undefined;
    return pathItems(doc, context, step?.workdir);
  }
  if (context.kind !== 'value') return [];
  if (map.kind === 'register' && key === 'model') {
    return [...new Set(env.registeredModels)].map((name) => ({
      label: name,
      kind: CompletionItemKind.Module,
      detail: 'registered model',
      textEdit: { range, newText: lead + name },
    }));
  }
  const values = isPipelineContext(map.kind) ? keySpec(map.kind, key)?.values : undefined;
  return (values ?? []).map((value, index) => ({
    label: value,
    kind: CompletionItemKind.EnumMember,
    sortText: String(index).padStart(2, '0'),
    textEdit: { range, newText: lead + value },
  }));
}

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Node, Pair } from 'yaml';
import { pipelineModel, type ParsedDocument } from '../../../../common/src';

/** Outline: the pipeline, its params, and its steps with their outputs. */
export function documentSymbols(doc: ParsedDocument): DocumentSymbol[] {
  const model = pipelineModel(doc);
  const root = model.root;
  if (!root) return [];
  const text = doc.text;
  const pairRange = (pair: Pair) => {
    const start = (pair.key as Node | null)?.range?.[0] ?? 0;
    const end = (pair.value as Node | null)?.range?.[1] ?? (pair.key as Node | null)?.range?.[1] ?? start;
    return { start: text.positionAt(start), end: text.positionAt(Math.max(start, end)) };
  };
  const keyRange = (pair: Pair) => {
    const r = (pair.key as Node | null)?.range ?? [0, 0];
    return { start: text.positionAt(r[0]), end: text.positionAt(r[1]) };
  };
  /** VS Code rejects an empty symbol name (`"": x` declares one): the key as written, else `(unnamed)`. */
  const nameOf = (name: string, pair: Pair) => {
    if (name.trim() !== '') return name;
    const r = (pair.key as Node | null)?.range;
    const written = r ? text.getText().slice(r[0], r[1]).trim() : '';
    return written !== '' ? written : '(unnamed)';
  };
  const section = (name: string) => root.items.find((p) => (p.key as { value?: unknown } | null)?.value === name);
  const out: DocumentSymbol[] = [];

  const namePair = section('pipeline');
  if (namePair)
    out.push({
      name: `pipeline ${model.name?.value ?? ''}`.trim(),
      kind: SymbolKind.Module,
      range: pairRange(namePair),
      selectionRange: keyRange(namePair),
    });

  const paramsPair = section('params');
  if (paramsPair) {
    const children = [...model.params.values()].map((p) => ({
      name: nameOf(p.name, p.pair),
      detail: p.type,
      kind: SymbolKind.Variable,
      range: pairRange(p.pair),
      selectionRange: keyRange(p.pair),
    }));
    out.push({ name: 'params', kind: SymbolKind.Namespace, range: pairRange(paramsPair), selectionRange: keyRange(paramsPair), children });
  }

  const stepsPair = section('steps');
  if (stepsPair) {
    const children = [...model.steps.values()].map((s) => ({
      name: nameOf(s.name, s.pair),
      ...(s.description ? { detail: s.description } : {}),
      kind: SymbolKind.Function,
      range: pairRange(s.pair),
      selectionRange: keyRange(s.pair),
      children: [...s.outputs.values()].map((o) => ({
        name: nameOf(o.name, o.pair),
        detail: o.path ?? '',
        kind: SymbolKind.Field,
        range: pairRange(o.pair),
        selectionRange: keyRange(o.pair),
      })),
    }));
    out.push({ name: 'steps', kind: SymbolKind.Namespace, range: pairRange(stepsPair), selectionRange: keyRange(stepsPair), children });
  }

  const registerPair = section('register');
  if (registerPair)
    out.push({ name: 'register', kind: SymbolKind.Object, range: pairRange(registerPair), selectionRange: keyRange(registerPair) });
  return out;
}

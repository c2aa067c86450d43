import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver';
import { isMap, isSeq, type Node, type Pair } from 'yaml';
import { scalarText, type ParsedDocument } from '../../../../common/src';
import { SECTIONS } from '../../../../common/src/features/schema';

const KIND_OF: Record<string, SymbolKind> = {
  entity: SymbolKind.Struct,
  source: SymbolKind.File,
  'feature view': SymbolKind.Class,
  'feature service': SymbolKind.Interface,
};

/** Outline of a features file: its sections, their named items, and each view's fields. */
export function featuresOutline(doc: ParsedDocument): DocumentSymbol[] {
  const root = doc.yaml.contents;
  if (!isMap(root)) return [];
  const text = doc.text;
  const range = (start: number, end: number): Range => ({ start: text.positionAt(start), end: text.positionAt(Math.max(start, end)) });
  const out: DocumentSymbol[] = [];
  for (const pair of root.items as Pair[]) {
    const section = SECTIONS.find((s) => s.key === scalarText(pair.key));
    const key = (pair.key as Node | null)?.range;
    if (!section || !key || !isSeq(pair.value)) continue;
    const children: DocumentSymbol[] = [];
    for (const item of pair.value.items) {
      const symbol = named(item, KIND_OF[section.what] ?? SymbolKind.Object, section.what, range);
      if (!symbol) continue;
      if (section.what === 'feature view' && isMap(item)) {
        const schema = item.get('schema', true) ?? item.get('features', true);
        if (isSeq(schema))
          symbol.children = schema.items
            .map((f) => named(f, SymbolKind.Field, scalarText(isMap(f) ? f.get('dtype', true) : undefined) ?? 'field', range))
            .filter((s): s is DocumentSymbol => s !== undefined);
      }
      children.push(symbol);
    }
    const end = (pair.value as Node).range?.[1] ?? key[1];
    out.push({ name: section.key, kind: SymbolKind.Namespace, range: range(key[0], end), selectionRange: range(key[0], key[1]), children });
  }
  return out;
}

function named(item: unknown, kind: SymbolKind, detail: string, range: (start: number, end: number) => Range): DocumentSymbol | undefined {
  if (!isMap(item) || !item.range) return undefined;
  const nameNode = item.get('name', true) as Node | undefined;
  const name = scalarText(nameNode);
  if (name === undefined || name.trim() === '' || !nameNode?.range) return undefined;
  return { name, detail, kind, range: range(item.range[0], item.range[1]), selectionRange: range(nameNode.range[0], nameNode.range[1]) };
}

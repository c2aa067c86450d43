import { featuresModel, occurrenceAt, type Occurrence, type Named } from '../../../../common/src/features/model';
import type { DefinitionKind, FileSummary, Located, ParsedDocument, WorkspaceView } from '../../../../common/src';

/** The name under the cursor in a features document. */
export function occurrenceIn(doc: ParsedDocument, offset: number): Occurrence | undefined {
  return occurrenceAt(featuresModel(doc).occurrences, offset);
}

/** Where the named thing is defined, across the workspace (a field: in each definition of its view). */
export function definitionsOf(symbol: Occurrence, workspace: WorkspaceView): Located<Named>[] {
  if (symbol.kind === 'field') {
    const out: Located<Named>[] = [];
    for (const view of workspace.definitions('view', symbol.view ?? '')) {
      for (const field of view.def.fields) if (field.name === symbol.name) out.push({ uri: view.uri, def: field });
    }
    return out;
  }
  return [...workspace.definitions(symbol.kind, symbol.name)];
}

/** The files that may mention the symbol: those defining it and those using it. */
function candidateFiles(symbol: Occurrence, workspace: WorkspaceView): Set<string> {
  const kind: DefinitionKind = symbol.kind === 'field' ? 'view' : symbol.kind;
  const name = symbol.kind === 'field' ? (symbol.view ?? '') : symbol.name;
  const out = new Set<string>(workspace.users(kind, name));
  for (const d of workspace.definitions(kind, name)) out.add(d.uri);
  return out;
}

/** Every definition and use of the symbol in the workspace, by file. */
export function occurrencesOf(
  symbol: Occurrence,
  workspace: WorkspaceView,
  summary: (uri: string) => FileSummary | undefined,
): { uri: string; summary: FileSummary; spans: Occurrence[] }[] {
  const out: { uri: string; summary: FileSummary; spans: Occurrence[] }[] = [];
  for (const uri of candidateFiles(symbol, workspace)) {
    const file = summary(uri);
    if (!file?.features) continue;
    const spans = file.features.occurrences.filter(
      (o) => o.kind === symbol.kind && o.name === symbol.name && (symbol.kind !== 'field' || o.view === symbol.view),
    );
    if (spans.length > 0) out.push({ uri, summary: file, spans });
  }
  return out;
}

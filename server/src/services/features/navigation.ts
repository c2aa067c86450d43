import { ErrorCodes, ResponseError, type Location, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import type { ParsedDocument } from '../../../../common/src';
import { code, rangeIn, type WorkspaceEnv } from '../workspaceEnv';
import { definitionsOf, occurrenceIn, occurrencesOf } from './symbols';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function locationOf(env: WorkspaceEnv, uri: string, span: { start: number; end: number }): Location | undefined {
  const text = env.summary(uri)?.text;
  return text ? { uri, range: rangeIn(text, span) } : undefined;
}

/** Go to definition of an entity, source, view or field, in whichever file defines it. */
export function featuresDefinition(doc: ParsedDocument, position: Position, env: WorkspaceEnv): Location[] | null {
  const symbol = occurrenceIn(doc, doc.text.offsetAt(position));
  if (!symbol) return null;
  const out = definitionsOf(symbol, env.workspace)
    .map((d) => locationOf(env, d.uri, d.def))
    .filter((l): l is Location => l !== undefined);
  return out.length > 0 ? out : null;
}

export function featuresReferences(
  doc: ParsedDocument,
  position: Position,
  env: WorkspaceEnv,
  includeDeclaration: boolean,
): Location[] | null {
  const symbol = occurrenceIn(doc, doc.text.offsetAt(position));
  if (!symbol) return null;
  const out: Location[] = [];
  for (const file of occurrencesOf(symbol, env.workspace, env.summary)) {
    for (const o of file.spans)
      if (includeDeclaration || !o.isDeclaration) out.push({ uri: file.uri, range: rangeIn(file.summary.text, o) });
  }
  return out;
}

export function featuresPrepareRename(
  doc: ParsedDocument,
  position: Position,
  env: WorkspaceEnv,
): { range: Range; placeholder: string } | null {
  const symbol = occurrenceIn(doc, doc.text.offsetAt(position));
  if (!symbol || definitionsOf(symbol, env.workspace).length === 0) return null;
  return { range: rangeIn(doc.text, symbol), placeholder: symbol.name };
}

/** Renames the definition and every use in every file of the workspace. */
export function featuresRename(
  doc: ParsedDocument,
  position: Position,
  newName: string,
  env: WorkspaceEnv,
): WorkspaceEdit | ResponseError | null {
  const symbol = occurrenceIn(doc, doc.text.offsetAt(position));
  if (!symbol) return null;
  if (definitionsOf(symbol, env.workspace).length === 0)
    return new ResponseError(ErrorCodes.InvalidRequest, `${code(symbol.name)} is not defined in the workspace, so it cannot be renamed`);
  if (!NAME.test(newName))
    return new ResponseError(
      ErrorCodes.InvalidParams,
      `${code(newName)} is not a valid name: start with a letter or \`_\`, then letters, digits, \`_\` or \`-\``,
    );
  if (newName !== symbol.name) {
    const taken =
      symbol.kind === 'field'
        ? definitionsOf({ ...symbol, name: newName }, env.workspace).length > 0
        : env.workspace.definitions(symbol.kind, newName).length > 0;
    if (taken)
      return new ResponseError(
        ErrorCodes.InvalidParams,
        `a ${symbol.kind === 'view' ? 'feature view' : symbol.kind === 'service' ? 'feature service' : symbol.kind} named ${code(newName)} already exists`,
      );
  }
  const changes: Record<string, { range: Range; newText: string }[]> = {};
  for (const file of occurrencesOf(symbol, env.workspace, env.summary)) {
    changes[file.uri] = file.spans.map((o) => ({ range: rangeIn(file.summary.text, o), newText: newName }));
  }
  return { changes };
}

import { ResponseError, ErrorCodes, type Location, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import { IDENTIFIER, pipelineModel, type ParsedDocument, type PipelineModel } from '../../../../common/src';
import { symbolAt, type NamedSymbol } from '../../../../common/src/pipeline/symbolAt';
import type { Span } from '../../../../common/src/expressions/ast';
import type { WorkspaceView } from '../../../../common/src/workspace/types';
import { resolveFrom } from '../../../../common/src/workspace/uris';

function namedAt(doc: ParsedDocument, position: Position): { model: PipelineModel; symbol: NamedSymbol } | undefined {
  const model = pipelineModel(doc);
  const symbol = symbolAt(model, doc.text.offsetAt(position));
  return symbol && symbol.kind !== 'key' && symbol.kind !== 'root' ? { model, symbol } : undefined;
}

function declarationOf(model: PipelineModel, symbol: NamedSymbol): Span | undefined {
  if (symbol.kind === 'param') return model.params.get(symbol.name);
  if (symbol.kind === 'step') return model.steps.get(symbol.name);
  return symbol.step === undefined ? undefined : model.steps.get(symbol.step)?.outputs.get(symbol.name);
}

function usesOf(model: PipelineModel, symbol: NamedSymbol): readonly Span[] {
  return model.usesOf(symbol.kind, symbol.name, symbol.step);
}

function range(doc: ParsedDocument, span: Span): Range {
  return { start: doc.text.positionAt(span.start), end: doc.text.positionAt(span.end) };
}

/** Go to definition: the key that declares a param, step or output. */
export function definition(doc: ParsedDocument, position: Position): Location | null {
  const found = namedAt(doc, position);
  const target = found && declarationOf(found.model, found.symbol);
  return target ? { uri: doc.uri, range: range(doc, target) } : null;
}

/** Find references: every `${{ }}` segment and `needs` entry naming it. */
export function references(doc: ParsedDocument, position: Position, includeDeclaration: boolean): Location[] | null {
  const found = namedAt(doc, position);
  if (!found) return null;
  const spans = [...usesOf(found.model, found.symbol)];
  const declaration = declarationOf(found.model, found.symbol);
  if (includeDeclaration && declaration) spans.unshift(declaration);
  return spans.map((s) => ({ uri: doc.uri, range: range(doc, s) }));
}

export function prepareRename(doc: ParsedDocument, position: Position): { range: Range; placeholder: string } | null {
  const found = namedAt(doc, position);
  if (!found || !declarationOf(found.model, found.symbol)) return null;
  return { range: range(doc, found.symbol), placeholder: found.symbol.name };
}

/** Rename a declared name with every reference and `needs` entry; refused with a message when the new name is invalid or taken. */
export function rename(
  doc: ParsedDocument,
  position: Position,
  newName: string,
  workspace?: WorkspaceView,
): WorkspaceEdit | ResponseError | null {
  const found = namedAt(doc, position);
  if (!found) return null;
  const { model, symbol } = found;
  const declaration = declarationOf(model, symbol);
  if (!declaration)
    return new ResponseError(ErrorCodes.InvalidRequest, `\`${symbol.name}\` is not declared in this file, so it cannot be renamed`);
  if (!IDENTIFIER.test(newName)) {
    return new ResponseError(
      ErrorCodes.InvalidParams,
      `\`${newName}\` is not a valid name: start with a letter or \`_\`, then letters, digits, \`_\` or \`-\``,
    );
  }
  const taken =
    symbol.kind === 'param'
      ? model.params.has(newName)
      : symbol.kind === 'step'
        ? model.steps.has(newName)
        : !!model.steps.get(symbol.step ?? '')?.outputs.has(newName);
  if (taken && newName !== symbol.name)
    return new ResponseError(ErrorCodes.InvalidParams, `a ${symbol.kind} named \`${newName}\` already exists`);
  const edits = [declaration, ...usesOf(model, symbol)].map((s) => ({ range: range(doc, s), newText: newName }));
  const changes: NonNullable<WorkspaceEdit['changes']> = { [doc.uri]: edits };
  // A param is also named by the monitors that retrain with this pipeline (`on_drift.params`).
  if (symbol.kind === 'param' && workspace)
    for (const monitor of workspace.summaries('monitor')) {
      const ref = monitor.monitor?.runPipeline;
      const path = ref ? resolveFrom(monitor.uri, ref.name) : undefined;
      if (!path || workspace.pipelineAt(path)?.uri !== doc.uri) continue;
      const keys = monitor.monitor!.params.filter((k) => k.name === symbol.name);
      if (keys.length)
        changes[monitor.uri] = keys.map((k) => ({
          range: { start: monitor.text.positionAt(k.start), end: monitor.text.positionAt(k.end) },
          newText: newName,
        }));
    }
  return { changes };
}

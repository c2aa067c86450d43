import { compareDiagnostics, type MlopsDiagnostic } from '../diagnostics';
import type { DocumentKind } from '../kinds';
import type { ParsedDocument } from '../document/parsedDocument';
import { pipelineCycleRule } from '../pipeline/rules/cycles';
import { pipelineFilesRule } from '../pipeline/rules/files';
import { pipelineImageRule } from '../pipeline/rules/image';
import { pipelineQuotedExpressionsRule } from '../pipeline/rules/quotedExpressions';
import { pipelineOutputsRule } from '../pipeline/rules/outputs';
import { pipelineParamsRule } from '../pipeline/rules/params';
import { pipelineReferencesRule } from '../pipeline/rules/references';
import { pipelineSchemaRule } from '../pipeline/rules/schema';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { featuresWorkspaceProblems } from '../features/rules/references';
import { featuresSchemaRule } from '../features/rules/schema';
import { monitorWorkspaceProblems } from '../monitor/rules/references';
import { monitorSchemaRule } from '../monitor/rules/schema';
import { summarize } from '../workspace/summary';
import type { FileSummary } from '../workspace/types';
import { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { ValidationContext } from './context';
import { duplicateKeysRule } from './rules/duplicateKeys';
import { yamlSyntaxRule } from './rules/yamlSyntax';

/** A validation rule: a pure function of one parsed document and what it may ask of the world. */
export type Rule = (doc: ParsedDocument, context: ValidationContext) => MlopsDiagnostic[];

/** Rules that hold for every kind; kind-specific rule sets join them here. */
const COMMON_RULES: readonly Rule[] = [yamlSyntaxRule, duplicateKeysRule];

const RULES_BY_KIND: Record<DocumentKind, readonly Rule[]> = {
  pipeline: [
    ...COMMON_RULES,
    pipelineSchemaRule,
    pipelineReferencesRule,
    pipelineParamsRule,
    pipelineCycleRule,
    pipelineOutputsRule,
    pipelineFilesRule,
    pipelineImageRule,
    pipelineQuotedExpressionsRule,
  ],
  features: [...COMMON_RULES, featuresSchemaRule],
  monitor: [...COMMON_RULES, monitorSchemaRule],
};

export interface ValidateOptions {
  readonly context?: ValidationContext;
  /** A rule that throws is a bug of ours, not of the user's file: it is reported here and must not hide the others. */
  readonly onRuleError?: (rule: string, error: unknown) => void;
}

/** Every problem in a document, at once and in position order. */
export function validateDocument(doc: ParsedDocument, options: ValidateOptions = {}): MlopsDiagnostic[] {
  const local = localDiagnostics(doc, options);
  if (doc.kind === 'pipeline') return finishDiagnostics(doc.text, local);
  return finishDiagnostics(doc.text, [...local, ...workspaceDiagnostics(summarize(doc), options)]);
}

/**
 * The problems a document has by itself (its text alone decides them); the
 * server keeps them per version. Unsorted: `finishDiagnostics` orders them
 * with the workspace ones.
 */
export function localDiagnostics(doc: ParsedDocument, options: ValidateOptions = {}): MlopsDiagnostic[] {
  const out: MlopsDiagnostic[] = [];
  const context = options.context ?? {};
  for (const rule of RULES_BY_KIND[doc.kind]) {
    try {
      out.push(...rule(doc, context));
    } catch (error) {
      options.onRuleError?.(rule.name, error);
    }
  }
  return out;
}

/**
 * The problems that depend on other files and on the disk (references across
 * the workspace, data files' columns, missing files), from the file's model
 * alone: the server runs them again for a file that is not open when
 * something it uses changes. Without `context.workspace`, references resolve
 * within the file.
 */
export function workspaceDiagnostics(summary: FileSummary, options: ValidateOptions = {}): MlopsDiagnostic[] {
  const context = options.context ?? {};
  const workspace = context.workspace ?? singleFile(summary);
  const rule = summary.features ? 'featuresWorkspaceProblems' : 'monitorWorkspaceProblems';
  try {
    if (summary.features) return featuresWorkspaceProblems(summary.uri, summary.features, workspace, context);
    if (summary.monitor) return monitorWorkspaceProblems(summary.uri, summary.monitor, workspace, context);
  } catch (error) {
    options.onRuleError?.(rule, error);
  }
  return [];
}

function singleFile(summary: FileSummary): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.set(summary);
  return index;
}

/** Position order, without the echoes of a syntax error. */
export function finishDiagnostics(text: TextDocument, diagnostics: MlopsDiagnostic[]): MlopsDiagnostic[] {
  return withoutEchoes(text, diagnostics).sort(compareDiagnostics);
}

/**
 * Where the YAML parser recovers from a syntax error, the nodes between an
 * unclosed bracket and the error are guesses: a rule's complaint about them
 * (`run` read as a map) would only echo the syntax error. Those lines keep
 * the syntax error alone; the rest of the file is checked as usual.
 */
function withoutEchoes(text: TextDocument, diagnostics: MlopsDiagnostic[]): MlopsDiagnostic[] {
  const damaged: [number, number][] = [];
  for (const d of diagnostics) {
    if (d.code !== 'yaml-syntax' || d.severity !== 'error') continue;
    const from = Math.min(d.start, ...(d.related ?? []).map((r) => r.start));
    damaged.push([text.positionAt(from).line, text.positionAt(d.end).line]);
  }
  if (damaged.length === 0) return diagnostics;
  return diagnostics.filter((d) => {
    if (d.code === 'yaml-syntax' || d.code === 'duplicate-key') return true;
    const line = text.positionAt(d.start).line;
    return !damaged.some(([a, b]) => a <= line && line <= b);
  });
}

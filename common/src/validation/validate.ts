import { compareDiagnostics, type MlopsDiagnostic } from '../diagnostics';
import type { DocumentKind } from '../kinds';
import type { ParsedDocument } from '../document/parsedDocument';
import { pipelineCycleRule } from '../pipeline/rules/cycles';
import { pipelineFilesRule } from '../pipeline/rules/files';
import { pipelineOutputsRule } from '../pipeline/rules/outputs';
import { pipelineParamsRule } from '../pipeline/rules/params';
import { pipelineReferencesRule } from '../pipeline/rules/references';
import { pipelineSchemaRule } from '../pipeline/rules/schema';
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
  ],
  features: COMMON_RULES,
  monitor: COMMON_RULES,
};

export interface ValidateOptions {
  readonly context?: ValidationContext;
  /** A rule that throws is a bug of ours, not of the user's file: it is reported here and must not hide the others. */
  readonly onRuleError?: (rule: string, error: unknown) => void;
}

/** Every problem in a document, at once and in position order. */
export function validateDocument(doc: ParsedDocument, options: ValidateOptions = {}): MlopsDiagnostic[] {
  const out: MlopsDiagnostic[] = [];
  const context = options.context ?? {};
  for (const rule of RULES_BY_KIND[doc.kind]) {
    try {
      out.push(...rule(doc, context));
    } catch (error) {
      options.onRuleError?.(rule.name, error);
    }
  }
  return withoutEchoes(doc, out).sort(compareDiagnostics);
}

/**
 * Where the YAML parser recovers from a syntax error, the nodes between an
 * unclosed bracket and the error are guesses: a rule's complaint about them
 * (`run` read as a map) would only echo the syntax error. Those lines keep
 * the syntax error alone; the rest of the file is checked as usual.
 */
function withoutEchoes(doc: ParsedDocument, diagnostics: MlopsDiagnostic[]): MlopsDiagnostic[] {
  const damaged: [number, number][] = [];
  for (const d of diagnostics) {
    if (d.code !== 'yaml-syntax' || d.severity !== 'error') continue;
    const from = Math.min(d.start, ...(d.related ?? []).map((r) => r.start));
    damaged.push([doc.text.positionAt(from).line, doc.text.positionAt(d.end).line]);
  }
  if (damaged.length === 0) return diagnostics;
  return diagnostics.filter((d) => {
    if (d.code === 'yaml-syntax' || d.code === 'duplicate-key') return true;
    const line = doc.text.positionAt(d.start).line;
    return !damaged.some(([a, b]) => a <= line && line <= b);
  });
}

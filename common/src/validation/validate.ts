import { compareDiagnostics, type MlopsDiagnostic } from '../diagnostics';
import type { DocumentKind } from '../kinds';
import type { ParsedDocument } from '../document/parsedDocument';
import { yamlSyntaxRule } from './rules/yamlSyntax';
import { duplicateKeysRule } from './rules/duplicateKeys';

/** A validation rule: a pure function of one parsed document. */
export type Rule = (doc: ParsedDocument) => MlopsDiagnostic[];

/** Rules that hold for every kind; kind-specific rule sets join them here. */
const COMMON_RULES: readonly Rule[] = [yamlSyntaxRule, duplicateKeysRule];

const RULES_BY_KIND: Record<DocumentKind, readonly Rule[]> = {
  pipeline: COMMON_RULES,
  features: COMMON_RULES,
  monitor: COMMON_RULES,
};

/**
 * Every problem in a document, at once and in position order. A rule that
 * throws is a bug of ours, not of the user's file: it must not hide the others.
 */
export function validateDocument(doc: ParsedDocument, onRuleError?: (rule: string, error: unknown) => void): MlopsDiagnostic[] {
  const out: MlopsDiagnostic[] = [];
  for (const rule of RULES_BY_KIND[doc.kind]) {
    try {
      out.push(...rule(doc));
    } catch (error) {
      onRuleError?.(rule.name, error);
    }
  }
  return out.sort(compareDiagnostics);
}

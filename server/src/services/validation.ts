import { validateDocument, type MlopsDiagnostic, type ParsedDocument } from '../../../common/src';
import { nodeValidationContext } from '../../../common/src/node/fileContext';

/**
 * Validates and remembers the result per document version, so that code
 * actions read the fixes of the diagnostics the user sees without validating again.
 */
export class ValidationService {
  private readonly results = new Map<string, { version: number; diagnostics: MlopsDiagnostic[] }>();
  private readonly context = nodeValidationContext();

  constructor(private readonly onRuleError: (rule: string, uri: string, error: unknown) => void) {}

  validate(doc: ParsedDocument): MlopsDiagnostic[] {
    const cached = this.results.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.diagnostics;
    const diagnostics = validateDocument(doc, {
      context: this.context,
      onRuleError: (rule, error) => this.onRuleError(rule, doc.uri, error),
    });
    this.results.set(doc.uri, { version: doc.version, diagnostics });
    return diagnostics;
  }

  forget(uri: string): void {
    this.results.delete(uri);
  }
}

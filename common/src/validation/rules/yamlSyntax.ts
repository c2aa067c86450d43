import { isCollection, visit, type YAMLError } from 'yaml';
import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { nonEmptyRange } from '../ranges';

/** `yaml-syntax`: what the YAML parser could not read, at the place it stopped. */
export function yamlSyntaxRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const source = doc.text.getText();
  const out: MlopsDiagnostic[] = [];
  for (const error of doc.yaml.errors) {
    if (error.code === 'DUPLICATE_KEY') continue; // the duplicate-key rule owns these
    const [start, end] = visibleRange(source, error.pos[0], error.pos[1]);
    out.push({ code: 'yaml-syntax', severity: 'error', message: describe(error, doc), start, end });
  }
  for (const warning of doc.yaml.warnings) {
    const [start, end] = visibleRange(source, warning.pos[0], warning.pos[1]);
    out.push({ code: 'yaml-syntax', severity: 'warning', message: `YAML: ${sentence(warning.message)}`, start, end });
  }
  return out;
}

/**
 * The parser sometimes points at the indentation before the offending token;
 * a squiggle under blanks helps nobody, so such a range moves onto the token
 * that follows on the same line.
 */
function visibleRange(source: string, from: number, to: number): [number, number] {
  const [start, end] = nonEmptyRange(from, to, source.length);
  if (source.slice(start, end).trim() !== '') return [start, end];
  const rest = /^[ \t]*([^\s:]+)/.exec(source.slice(start));
  if (!rest?.[1]) return [start, end];
  const tokenStart = start + rest[0].length - rest[1].length;
  return [tokenStart, tokenStart + rest[1].length];
}

function describe(error: YAMLError, doc: ParsedDocument): string {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return `YAML syntax: a ${doc.kind} file holds one YAML document; remove the \`---\` separator and what follows it, or move it into a file of its own`;
    case 'MISSING_CHAR':
      return `YAML syntax: ${sentence(error.message)}; close the quote or bracket that opens before this point`;
    case 'TAB_AS_INDENT':
      return 'YAML syntax: tabs are not allowed as indentation; indent with spaces';
    default: {
      const opener = unclosedFlowCollection(doc, error.pos[0]);
      if (opener) {
        const line = doc.text.positionAt(opener.offset).line + 1;
        return `YAML syntax: the \`${opener.bracket}\` opened on line ${line} is not closed; add \`${opener.bracket === '[' ? ']' : '}'}\` at the end of its items`;
      }
      return `YAML syntax: ${sentence(error.message)}`;
    }
  }
}

/** The innermost flow collection (`[...]`, `{...}`) that ends at `offset` without its closing bracket. */
function unclosedFlowCollection(doc: ParsedDocument, offset: number): { offset: number; bracket: '[' | '{' } | undefined {
  const source = doc.text.getText();
  let found: { offset: number; bracket: '[' | '{' } | undefined;
  visit(doc.yaml, (_key, node) => {
    if (!isCollection(node) || !node.flow || !node.range) return;
    const [start, , end] = node.range;
    const bracket = source[start];
    if ((bracket !== '[' && bracket !== '{') || end > offset + 1 || end < offset - 1) return;
    const closer = bracket === '[' ? ']' : '}';
    if (source.slice(start, end).trimEnd().endsWith(closer)) return;
    if (!found || start > found.offset) found = { offset: start, bracket };
  });
  return found;
}

/** The yaml package capitalises and sometimes ends with a period; diagnostics read as one clause. */
function sentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  const trimmed = line.replace(/\.\s*$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

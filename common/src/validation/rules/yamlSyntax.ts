import { isCollection, isPair, type Range, type YAMLError } from 'yaml';
import type { MlopsDiagnostic, RelatedLocation } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { nonEmptyRange } from '../ranges';

/** `yaml-syntax`: what the YAML parser could not read, at the place it stopped. */
export function yamlSyntaxRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const source = doc.text.getText();
  const out: MlopsDiagnostic[] = [];
  // After an unclosed `[` or `{` the parser reads the next line as more of
  // it and reports what follows there too; those echoes are left out.
  const echoLines = new Set<number>();
  const openers = doc.yaml.errors.length > 0 ? unclosedFlowCollections(doc) : [];
  for (const error of doc.yaml.errors) {
    if (error.code === 'DUPLICATE_KEY') continue; // the duplicate-key rule owns these
    const line = doc.text.positionAt(error.pos[0]).line;
    if (echoLines.has(line)) continue;
    const [start, end] = visibleRange(source, error.pos[0], error.pos[1]);
    const described = describe(error, doc, openers);
    if (described.related) echoLines.add(line);
    out.push({ code: 'yaml-syntax', severity: 'error', start, end, ...described });
  }
  for (const warning of doc.yaml.warnings) {
    const [start, end] = visibleRange(source, warning.pos[0], warning.pos[1]);
    out.push({ code: 'yaml-syntax', severity: 'warning', message: `YAML: ${sentence(warning.message)}`, start, end });
  }
  return out;
}

const TOKEN_CHAR = /[^\s:,[\]{}#]/;

/**
 * The parser points at one character: sometimes the indentation before the
 * offending token, sometimes the end of the text. A squiggle under blanks or
 * under one letter is hard to see, so the range covers the token there, the
 * next one on the line, or at the end of the text the last one.
 */
function visibleRange(source: string, from: number, to: number): [number, number] {
  const [start, end] = nonEmptyRange(from, to, source.length);
  if (end - start > 1) return [start, end];
  let at = start;
  while (source[at] === ' ' || source[at] === '\t') at++;
  if (at >= source.length || source[at] === '\n' || source[at] === '\r') {
    if (source.slice(at).trim() !== '') return [start, end];
    at = start;
    while (at > 0 && /\s/.test(source[at] ?? ' ')) at--;
    let tokenStart = at;
    while (tokenStart > 0 && TOKEN_CHAR.test(source[tokenStart - 1] ?? '')) tokenStart--;
    return TOKEN_CHAR.test(source[at] ?? '') ? [tokenStart, at + 1] : [at, at + 1];
  }
  let tokenEnd = at;
  while (tokenEnd < source.length && TOKEN_CHAR.test(source[tokenEnd] ?? '')) tokenEnd++;
  return tokenEnd > at ? [at, tokenEnd] : [at, at + 1];
}

function describe(error: YAMLError, doc: ParsedDocument, openers: readonly Opener[]): { message: string; related?: RelatedLocation[] } {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return {
        message: `YAML syntax: a ${doc.kind} file holds one YAML document; remove the \`---\` separator and what follows it, or move it into a file of its own`,
      };
    case 'MISSING_CHAR':
      return { message: `YAML syntax: ${sentence(error.message)}; close the quote or bracket that opens before this point` };
    case 'TAB_AS_INDENT':
      return { message: 'YAML syntax: tabs are not allowed as indentation; indent with spaces' };
    default: {
      const opener = innermostEndingAt(openers, error.pos[0]);
      if (!opener) return { message: `YAML syntax: ${sentence(error.message)}` };
      const line = doc.text.positionAt(opener.offset).line + 1;
      return {
        message: `YAML syntax: the \`${opener.bracket}\` opened on line ${line} is not closed; add \`${opener.closer}\` at the end of its items`,
        related: [{ start: opener.offset, end: opener.offset + 1, message: `the unclosed \`${opener.bracket}\`` }],
      };
    }
  }
}

interface Opener {
  readonly offset: number;
  /** Where the parser ended the collection. */
  readonly end: number;
  readonly bracket: '[' | '{';
  readonly closer: ']' | '}';
}

/** Every flow collection (`[...]`, `{...}`) that lacks its closing bracket; one walk of the tree, however many errors there are. */
function unclosedFlowCollections(doc: ParsedDocument): Opener[] {
  const source = doc.text.getText();
  const out: Opener[] = [];
  // Only collections that end next to an error are looked up (innermostEndingAt): the walk skips
  // every node whose range is away from all of them (a node's children lie within its range), so a
  // large file with one error is not walked whole.
  const errors = doc.yaml.errors.map((e) => e.pos[0]);
  const near = (range: Range) => errors.some((at) => range[0] <= at + 1 && at - 1 <= range[2]);
  const walk = (node: unknown): void => {
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
      return;
    }
    if (!isCollection(node)) return;
    if (node.range && !near(node.range)) return;
    if (node.flow && node.range) {
      const [start, , end] = node.range;
      const bracket = source[start];
      const closer = bracket === '[' ? ']' : '}';
      if ((bracket === '[' || bracket === '{') && !source.slice(start, end).trimEnd().endsWith(closer))
        out.push({ offset: start, bracket, closer, end });
    }
    for (const item of node.items) walk(item);
  };
  walk(doc.yaml.contents);
  return out.sort((a, b) => a.end - b.end);
}

/** The innermost unclosed collection ending within a character of `offset` (binary search over `openers`, sorted by end). */
function innermostEndingAt(openers: readonly Opener[], offset: number): Opener | undefined {
  let lo = 0;
  let hi = openers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (openers[mid]!.end < offset - 1) lo = mid + 1;
    else hi = mid;
  }
  let found: Opener | undefined;
  for (let i = lo; i < openers.length && openers[i]!.end <= offset + 1; i++) {
    if (!found || openers[i]!.offset > found.offset) found = openers[i];
  }
  return found;
}

/** The yaml package capitalises and sometimes ends with a period; diagnostics read as one clause. */
function sentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  const trimmed = line.replace(/\.\s*$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

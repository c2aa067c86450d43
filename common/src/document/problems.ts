/**
 * The YAML errors and warnings of a document read by chunks (./piecewise.ts,
 * ./splice.ts): each chunk keeps its own, with the offset of its key, and the
 * document's lists are gathered from the chunks in order after every read,
 * moved as far as their chunk has moved. A splice can then read again only
 * the chunks around an edit while the file has a syntax error elsewhere.
 */
import { isMap, type Document, type Node, type Pair, type YAMLError } from 'yaml';

interface Problems {
  keyStart: number;
  readonly errors: readonly YAMLError[];
  readonly warnings: readonly YAMLError[];
}

const byPair = new WeakMap<Pair, Problems>();
const chunked = new WeakSet<Document.Parsed>();

/** Records what the parser reported for the chunk `pair` was read from. */
export function setProblems(pair: Pair, errors: readonly YAMLError[], warnings: readonly YAMLError[]): void {
  byPair.set(pair, { keyStart: keyStart(pair), errors, warnings });
}

/** Whether the chunk `pair` was read from had errors or warnings: its entries cannot be read again alone. */
export function hasProblems(pair: Pair): boolean {
  return byPair.has(pair);
}

/**
 * Sets the document's errors and warnings to its chunks' (root entries and
 * the entries of block maps below them), in document order, and marks it as
 * read by chunks.
 */
export function gatherProblems(yaml: Document.Parsed): void {
  const errors: YAMLError[] = [];
  const warnings: YAMLError[] = [];
  const add = (pair: Pair) => {
    const problems = byPair.get(pair);
    if (!problems) return;
    const delta = keyStart(pair) - problems.keyStart;
    problems.keyStart += delta;
    for (const problem of [...problems.errors, ...problems.warnings]) {
      problem.pos[0] += delta;
      problem.pos[1] += delta;
    }
    errors.push(...problems.errors);
    warnings.push(...problems.warnings);
  };
  const root = yaml.contents;
  if (isMap(root))
    for (const pair of root.items) {
      add(pair);
      if (isMap(pair.value) && !pair.value.flow) for (const child of pair.value.items) add(child);
    }
  yaml.errors = errors;
  yaml.warnings = warnings;
  chunked.add(yaml);
}

/** Whether every error and warning of the document is one of its chunks' (so a splice may keep them). */
export function problemsAreChunks(yaml: Document.Parsed): boolean {
  return chunked.has(yaml) || (yaml.errors.length === 0 && yaml.warnings.length === 0);
}

function keyStart(pair: Pair): number {
  return (pair.key as Node | null)?.range?.[0] ?? 0;
}

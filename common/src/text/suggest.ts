/** Optimal-string-alignment distance: edits, with a swap of neighbours counting as one. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidates close enough to `word` to be what the user meant, best
 * first: the same word in another case, at most a third of the word's length
 * in edits (at least one), or a longer name it abbreviates (`Prod` for
 * `Production`, three letters at least).
 */
export function suggestions(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.floor(word.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    if (name === word) continue;
    const candidate = name.toLowerCase();
    if (lower.length >= 3 && candidate.length > lower.length && candidate.startsWith(lower)) {
      scored.push({ name, score: budget + 0.5 });
      continue;
    }
    if (Math.abs(name.length - word.length) > budget) continue;
    const score = candidate === lower ? 0 : editDistance(lower, candidate);
    if (score <= budget) scored.push({ name, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** "; did you mean `train`?" or "" — for the end of a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const [best] = suggestions(word, candidates, 1);
  return best === undefined ? '' : `; did you mean \`${best}\`?`;
}

/** `a`, `a` or `b`, `a`, `b` or `c` — for listing what is allowed. */
export function listOf(names: readonly string[], conjunction = 'or'): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

import { isScalar, Scalar } from 'yaml';
import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { Report } from '../../yaml/report';
import { pipelineModel } from '../model';

const OPEN = '${{';
const CLOSE = '}}';

/**
 * `quoted-expression` (a warning): a `${{ }}` inside the shell quotes of a step's `run`. The runner
 * quotes every value itself (docs/runner.md), so `"${{ params.name }}"` hands the program the
 * quote characters, and `'${{ x }}'` leaves the value unquoted between two empty strings. Where the
 * quotes wrap the expression exactly, the fix removes them. Plain and block scalars only: there the
 * YAML text is the shell text.
 */
export function pipelineQuotedExpressionsRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const report = new Report();
  const source = doc.text.getText();
  for (const step of pipelineModel(doc).steps.values()) {
    const run = step.body?.get('run', true);
    if (
      !isScalar(run) ||
      !run.range ||
      (run.type !== Scalar.PLAIN && run.type !== Scalar.BLOCK_LITERAL && run.type !== Scalar.BLOCK_FOLDED)
    )
      continue;
    // A plain scalar's value is its text with the line breaks folded: without a quote in it, no expression is quoted.
    if (run.type === Scalar.PLAIN && typeof run.value === 'string' && !run.value.includes('"') && !run.value.includes("'")) continue;
    const [start, end] = run.range;
    let quote: '"' | "'" | undefined;
    let quoteAt = -1;
    // `$(...)` and backquotes start a fresh quoting context, even inside double quotes.
    const outer: { quote: typeof quote; quoteAt: number; close: string }[] = [];
    for (let i = start; i < end; i++) {
      const c = source[i]!;
      if (quote !== "'" && ((c === '$' && source[i + 1] === '(') || c === '`')) {
        const close = c === '`' ? '`' : ')';
        if (c === '`' && outer.at(-1)?.close === '`' && !quote) {
          ({ quote, quoteAt } = outer.pop()!);
          continue;
        }
        outer.push({ quote, quoteAt, close });
        quote = undefined;
        if (c === '$') i++;
        continue;
      }
      if (c === ')' && !quote && outer.at(-1)?.close === ')') {
        ({ quote, quoteAt } = outer.pop()!);
        continue;
      }
      if (source.startsWith(OPEN, i)) {
        const close = source.indexOf(CLOSE, i + OPEN.length);
        if (close < 0 || close >= end) break;
        const after = close + CLOSE.length;
        if (quote) {
          const exact = quoteAt === i - 1 && source[after] === quote;
          report.add(
            'quoted-expression',
            { start: i, end: after },
            `\`${source.slice(i, after)}\` is inside ${quote === '"' ? 'double' : 'single'} quotes: the runner quotes each value itself, so ${quote === '"' ? 'the quote characters reach the program' : 'the value ends up unquoted'}; write it without quotes`,
            {
              severity: 'warning',
              ...(exact
                ? {
                    fixes: [
                      {
                        title: 'Remove the quotes around the expression',
                        preferred: true,
                        edits: [
                          { start: after, end: after + 1, newText: '' },
                          { start: i - 1, end: i, newText: '' },
                        ],
                      },
                    ],
                  }
                : {}),
            },
          );
        }
        i = after - 1;
        continue;
      }
      if (c === '\\' && quote !== "'") i++;
      else if (!quote && (c === '"' || c === "'")) {
        quote = c;
        quoteAt = i;
      } else if (c === quote) quote = undefined;
    }
  }
  return report.diagnostics;
}

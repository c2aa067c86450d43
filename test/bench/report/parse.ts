/**
 * What a benchmark printed, as data for docs/benchmarks.md: its `BENCH_JSON {...}` lines, the
 * markdown tables it printed (lines starting with `|`), and its "label   value" lines (two or
 * more spaces between an indented label and its value). Pure.
 */

export interface BenchOutput {
  readonly json: Record<string, unknown>[];
  /** Each table as its lines, verbatim. */
  readonly tables: string[][];
  readonly pairs: [string, string][];
}

export function parseOutput(stdout: string): BenchOutput {
  const json: Record<string, unknown>[] = [];
  const tables: string[][] = [];
  const pairs: [string, string][] = [];
  let table: string[] | undefined;
  for (const raw of stdout.split('\n')) {
    const text = raw.trimEnd();
    if (text.startsWith('BENCH_JSON ')) {
      try {
        json.push(JSON.parse(text.slice('BENCH_JSON '.length)) as Record<string, unknown>);
      } catch {
        // a cut line: the figures are still in the text
      }
      table = undefined;
      continue;
    }
    if (text.startsWith('|')) {
      if (!table) tables.push((table = []));
      table.push(text);
      continue;
    }
    table = undefined;
    const pair = /^\s{2,}(\S.*?)\s{2,}(\S.*)$/.exec(text);
    if (pair) pairs.push([pair[1]!, pair[2]!]);
  }
  return { json, tables, pairs };
}

/** A cell of a markdown table made safe: pipes escaped, no line breaks. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** The cells of a markdown table row (`| a | b |` -> ['a', 'b']). */
export function rowCells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

/** The first number of a figure such as "1,234 ms" or "12.5 ms" (NaN when none). */
export function numberIn(text: string | undefined): number {
  const m = /-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?/i.exec(text ?? '');
  return m ? Number(m[0].replace(/,/g, '')) : NaN;
}

/** Row `label` of the first printed table that has one: its cells after the label. */
export function tableRow(output: BenchOutput, label: string): string[] | undefined {
  for (const t of output.tables)
    for (const line of t) {
      const cells = rowCells(line);
      if (cells[0] === label) return cells.slice(1);
    }
  return undefined;
}

/** Rows of a "points so far / rate" listing: lines of two leading numbers (thousands separated), after `after`. */
export function numberRows(stdout: string, after: RegExp): [number, number][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => after.test(l));
  const out: [number, number][] = [];
  if (start < 0) return out;
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+(\d[\d,]*)\s+(\d[\d,]*)\s/.exec(line);
    if (m) out.push([Number(m[1]!.replace(/,/g, '')), Number(m[2]!.replace(/,/g, ''))]);
    else if (out.length && line.trim() === '') break;
  }
  return out;
}

import type { Run } from '../tracking/repository';

/** A table cell: pipes and line breaks would break the table, and the text is shown as source, not rendered. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function value(v: string | number | undefined): string {
  if (v === undefined) return '—';
  return typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toPrecision(6))) : cell(v);
}

/**
 * Runs side by side as a Markdown table: status, then every param and every
 * metric any of them has, with the rows that differ marked.
 */
export function compareRunsMarkdown(runs: readonly Run[]): string {
  const header = `| | ${runs.map((r) => cell(r.info.run_name)).join(' | ')} |`;
  const rule = `|---|${runs.map(() => '---').join('|')}|`;
  const rows: string[] = [];
  const row = (label: string, values: (string | number | undefined)[]) => {
    const shown = values.map(value);
    const differs = new Set(shown).size > 1;
    rows.push(`| ${differs ? '**' : ''}${cell(label)}${differs ? '**' : ''} | ${shown.join(' | ')} |`);
  };
  row('status', runs.map((r) => r.info.status));
  row('run id', runs.map((r) => r.info.run_id));
  const params = [...new Set(runs.flatMap((r) => r.data.params.map((p) => p.key)))].sort();
  const metrics = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
  for (const key of params) row(`params.${key}`, runs.map((r) => r.data.params.find((p) => p.key === key)?.value));
  for (const key of metrics) row(`metrics.${key}`, runs.map((r) => { const m = r.data.metrics.find((x) => x.key === key)?.value; return typeof m === 'number' ? m : m === undefined ? undefined : String(m); }));
  return [`# Comparing ${runs.length} runs`, '', 'Rows in bold differ between the runs.', '', header, rule, ...rows, ''].join('\n');
}

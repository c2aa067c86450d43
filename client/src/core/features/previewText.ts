import type { FeatureViewPreview, PreviewCell } from '../../../../common/src/features/preview';

// `mlops features preview` as text: a line about the view, a table of column statistics, the rows.

const figure = (value: string | number | undefined): string =>
  value === undefined ? '' : typeof value === 'number' ? String(Number(value.toPrecision(6))) : value;

const cell = (value: PreviewCell): string => (value === null ? '' : String(value));

/** Columns padded to their widest cell. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((text, c) => text.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function previewLines(preview: FeatureViewPreview, sourceShown: string): string[] {
  const lines = [
    `${preview.view}: ${preview.totalRows.toLocaleString('en-US')} rows in ${sourceShown} (source ${preview.source.name}), ttl ${preview.ttl}${preview.online ? ', online' : ''}`,
    '',
    ...table(
      ['column', 'role', 'dtype', 'count', 'missing', 'distinct', 'min', 'max', 'mean'],
      preview.columns.map((c) => [
        c.sourceColumn ? `${c.name} (${c.sourceColumn})` : c.name,
        c.role,
        c.dtype ?? '',
        String(c.count),
        String(c.missing),
        String(c.distinct),
        figure(c.min),
        figure(c.max),
        figure(c.mean),
      ]),
    ),
  ];
  const invalid = preview.columns.filter((c) => c.invalid);
  for (const c of invalid)
    lines.push(`warning: ${c.name}: ${c.invalid} value${c.invalid === 1 ? ' is' : 's are'} not ${c.dtype ?? 'a timestamp'}`);
  if (preview.rows.length) {
    lines.push('', `first ${preview.rows.length} row${preview.rows.length === 1 ? '' : 's'}:`);
    lines.push(
      ...table(
        preview.columns.map((c) => c.name),
        preview.rows.map((r) => r.map(cell)),
      ),
    );
  }
  return lines;
}

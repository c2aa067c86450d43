import type { DataColumns } from '../../workspace/types';
import type { SourceDef } from '../model';

/** The names a source offers: its file's columns, and the feature names `field_mapping` gives them. */
export function availableColumns(source: SourceDef, data: DataColumns): Set<string> {
  const names = new Set(data.columns.map((c) => c.name));
  for (const m of source.fieldMapping) if (names.has(m.column.name)) names.add(m.feature.name);
  return names;
}

/** `a`, `b`, `c` and 7 more — for messages. */
export function columnList(names: readonly string[], limit = 8): string {
  const shown = names
    .slice(0, limit)
    .map((n) => `\`${n}\``)
    .join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown || 'none';
}

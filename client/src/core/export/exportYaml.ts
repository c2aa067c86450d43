import { stringify } from 'yaml';

/** An export as YAML: a comment header, no folded lines, scripts as literal blocks, keys in the given order. */
export function exportYaml(data: unknown, header: string): string {
  const comment = header
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  return `${comment}\n${stringify(data, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false })}`;
}

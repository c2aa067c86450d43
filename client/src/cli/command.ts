import { parseArgs, type ParseArgsConfig } from 'node:util';
import { textTable } from '../core/text/textTable';

/** Where a command writes; tests pass buffers, the bin passes the process streams. */
export interface CliIO {
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly value?: string;
  readonly description: string;
}

/** One `mlops` subcommand: its help is generated from this description. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly details?: string;
  readonly options: Record<string, OptionSpec>;
  readonly examples?: readonly string[];
  run(values: Record<string, unknown>, positionals: string[], io: CliIO): Promise<number>;
}

/** A command made of subcommands (`mlops runs list`); each subcommand is a CliCommand of its own. */
export interface CliGroup {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly CliCommand[];
}

export type CliEntry = CliCommand | CliGroup;

export const isGroup = (entry: CliEntry): entry is CliGroup => 'subcommands' in entry;

export function groupHelp(group: CliGroup): string {
  const width = Math.max(...group.subcommands.map((c) => c.name.length));
  return [
    `Usage: mlops ${group.name} <command> [options]`,
    '',
    group.summary,
    '',
    'Commands:',
    ...group.subcommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `See 'mlops ${group.name} <command> --help'.`,
    '',
  ].join('\n');
}

/** Rows as aligned columns under a header, for people; `--json` is for machines. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return textTable(header, rows).join('\n') + '\n';
}

/** Exit codes shared by every command. */
export const Exit = { ok: 0, problems: 1, usage: 2 } as const;

export function parseCommandArgs(command: CliCommand, argv: string[]): { values: Record<string, unknown>; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  return { values: values as Record<string, unknown>, positionals };
}

export function commandHelp(command: CliCommand): string {
  const lines = [`Usage: ${command.usage}`, '', command.summary];
  if (command.details) lines.push('', command.details);
  lines.push('', 'Options:');
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` <${spec.value ?? 'value'}>` : ''}`;
    return [flag, spec.description + (spec.multiple ? ' (repeatable)' : '')] as const;
  });
  rows.push(['-h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  if (command.examples?.length) {
    lines.push('', 'Examples:');
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  return lines.join('\n') + '\n';
}

import { commandHelp, Exit, parseCommandArgs, type CliCommand, type CliIO } from './command';
import { validateCommand } from './commands/validate';
import { UsageError } from '../core/errors';

declare const MLOPS_VERSION: string | undefined;

export const COMMANDS: readonly CliCommand[] = [validateCommand];

function version(): string {
  return typeof MLOPS_VERSION === 'string' ? MLOPS_VERSION : 'dev';
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: mlops <command> [options]',
    '',
    'MLOps Workbench on the command line: the editor\'s checks and pipelines, for CI.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     Show help (also `mlops <command> --help`)',
    '  -v, --version  Print the version',
    '',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code; never calls process.exit. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(topic ? commandHelp(topic) : mainHelp());
    return name === undefined ? Exit.usage : Exit.ok;
  }
  if (name === '-v' || name === '--version') {
    io.out(`${version()}\n`);
    return Exit.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`mlops: unknown command '${name}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See 'mlops --help'.\n`);
    return Exit.usage;
  }
  let parsed: ReturnType<typeof parseCommandArgs>;
  try {
    parsed = parseCommandArgs(command, rest);
  } catch (error) {
    io.err(`mlops ${command.name}: ${error instanceof Error ? error.message : String(error)}\nSee 'mlops ${command.name} --help'.\n`);
    return Exit.usage;
  }
  if (parsed.values.help === true) {
    io.out(commandHelp(command));
    return Exit.ok;
  }
  try {
    return await command.run(parsed.values, parsed.positionals, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`mlops ${command.name}: ${error.message}\n`);
      return Exit.usage;
    }
    io.err(`mlops ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return Exit.usage;
  }
}

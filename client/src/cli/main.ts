import { errorMessage } from '../../../common/src/errors';
import { buildVersion } from '../../../common/src/version';
import { commandHelp, Exit, groupHelp, isGroup, parseCommandArgs, type CliCommand, type CliEntry, type CliIO } from './command';
import { ciCommand } from './commands/ci';
import { driftCommand } from './commands/drift';
import { experimentsCommand } from './commands/experiments';
import { exportCommand } from './commands/export';
import { submitCommand } from './commands/submit';
import { featuresCommand } from './commands/features';
import { importCommand } from './commands/import';
import { maturityCommand } from './commands/maturity';
import { modelsCommand } from './commands/models';
import { monitorCommand } from './commands/monitor';
import { runCommand as runPipelineCommand } from './commands/run';
import { runsCommand } from './commands/runs';
import { pullCommand } from './commands/pull';
import { pushCommand } from './commands/push';
import { serveCommand } from './commands/serve';
import { validateCommand } from './commands/validate';
import { UsageError } from '../core/errors';
import { MlflowError } from '../core/tracking/repository/errors';

export const COMMANDS: readonly CliEntry[] = [
  validateCommand,
  runPipelineCommand,
  serveCommand,
  experimentsCommand,
  runsCommand,
  modelsCommand,
  driftCommand,
  monitorCommand,
  pushCommand,
  pullCommand,
  importCommand,
  featuresCommand,
  exportCommand,
  submitCommand,
  maturityCommand,
  ciCommand,
];

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: mlops <command> [options]',
    '',
    "MLOps Workbench on the command line: the editor's checks and pipelines, for CI.",
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
    io.out(topic ? (isGroup(topic) ? groupHelp(topic) : commandHelp(topic)) : mainHelp());
    return name === undefined ? Exit.usage : Exit.ok;
  }
  if (name === '-v' || name === '--version') {
    io.out(`${buildVersion()}\n`);
    return Exit.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`mlops: unknown command '${name}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See 'mlops --help'.\n`);
    return Exit.usage;
  }
  if (!isGroup(entry)) return runCommand(entry, rest, io);
  const [sub, ...subArgs] = rest;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.out(groupHelp(entry));
    return sub === undefined ? Exit.usage : Exit.ok;
  }
  const command = entry.subcommands.find((c) => c.name === sub);
  if (!command) {
    io.err(`mlops ${entry.name}: unknown command '${sub}'. Commands: ${entry.subcommands.map((c) => c.name).join(', ')}.\n`);
    return Exit.usage;
  }
  return runCommand(command, subArgs, io, `${entry.name} ${command.name}`);
}

async function runCommand(command: CliCommand, rest: string[], io: CliIO, label = command.name): Promise<number> {
  let parsed: ReturnType<typeof parseCommandArgs>;
  try {
    parsed = parseCommandArgs(command, rest);
  } catch (error) {
    io.err(`mlops ${label}: ${errorMessage(error)}\nSee 'mlops ${label} --help'.\n`);
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
      io.err(`mlops ${label}: ${error.message}\n`);
      return Exit.usage;
    }
    // An MLflow error (a missing run, a refused stage) is a problem with the request, not a crash.
    if (error instanceof MlflowError) {
      io.err(`mlops ${label}: ${error.message}\n`);
      return Exit.problems;
    }
    io.err(`mlops ${label}: ${errorMessage(error)}\n`);
    return Exit.usage;
  }
}

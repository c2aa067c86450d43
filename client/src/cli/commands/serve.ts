import * as path from 'node:path';
import { UsageError } from '../../core/errors';
import { StoreLockedError } from '../../core/tracking/store';
import { serveWorkspace } from '../../core/tracking/workspaceServer';
import { Exit, type CliCommand } from '../command';
import { untilInterrupted } from '../interrupted';

function parsePort(value: unknown): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, got '${String(value)}'`);
  return port;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the workspace tracking store over an MLflow-compatible REST endpoint.',
  usage: 'mlops serve [--port N] [--mlflow-only] [--durability fsync|process] [--workspace DIR]',
  details: [
    'Listens on 127.0.0.1 only and requires the printed bearer token; writes .mlops/server.json',
    '(mode 0600) so other mlops commands find it. Point mlflow code at it with the two printed',
    'variables. Stops on Ctrl+C (SIGINT) or SIGTERM, saving the store and removing server.json.',
    '--mlflow-only (or MLOPS_SERVE_MLFLOW_ONLY=1) answers as a team MLflow server does: no /mlops/...',
    'routes, and artifact URIs are mlflow-artifacts:/... through the artifact proxy. Point another',
    "workspace's mlops.tracking.uri (or --tracking-uri) at it to try a remote store on one machine.",
    'MLOPS_SERVE_TOKEN sets the token (16 characters or more) instead of a new random one, so that',
    'clients keep working across a restart.',
    '--durability (or MLOPS_TRACKING_DURABILITY, read by every mlops command) says when a write is',
    'acknowledged: fsync (the default) once its journal line is on disk; process once the operating',
    'system has it, which survives mlops being killed but not an OS crash or power loss.',
  ].join('\n'),
  options: {
    port: { type: 'string', value: 'N', description: 'Port to listen on (default: a free one)' },
    'mlflow-only': { type: 'boolean', description: "Serve MLflow's REST API only, as a team's MLflow server" },
    durability: { type: 'string', value: 'MODE', description: 'fsync (default): acknowledge writes once on disk; process: once in the OS' },
    workspace: { type: 'string', value: 'DIR', description: 'Workspace folder (default: the current folder)' },
  },
  examples: ['mlops serve', 'mlops serve --port 5000 --workspace samples/churn', 'mlops serve --mlflow-only --workspace /tmp/team-server'],
  async run(values, _positionals, io) {
    const workspaceDir = path.resolve(io.cwd, typeof values.workspace === 'string' ? values.workspace : '.');
    const port = parsePort(values.port);
    const durability = values.durability;
    if (durability !== undefined && durability !== 'fsync' && durability !== 'process')
      throw new UsageError(`--durability must be fsync or process, got '${String(durability)}'`);
    let tracking;
    try {
      const token = process.env.MLOPS_SERVE_TOKEN?.trim();
      if (token && token.length < 16) {
        io.err('mlops serve: MLOPS_SERVE_TOKEN must be at least 16 characters\n');
        return Exit.usage;
      }
      const mlflowOnly = Boolean(values['mlflow-only']) || /^(1|true|yes)$/i.test(process.env.MLOPS_SERVE_MLFLOW_ONLY ?? '');
      tracking = await serveWorkspace({
        workspaceDir,
        port,
        mlflowOnly,
        ...(token ? { token } : {}),
        ...(durability ? { durability } : {}),
        log: (level, message) => io.err(`[${level}] ${message}\n`),
      });
    } catch (error) {
      if (error instanceof StoreLockedError) {
        io.err(`mlops serve: ${error.message}\n`);
        return Exit.problems;
      }
      throw error;
    }
    io.out(
      [
        `Tracking endpoint for ${workspaceDir}`,
        `export MLFLOW_TRACKING_URI=${tracking.url}`,
        `export MLFLOW_TRACKING_TOKEN=${tracking.token}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    await untilInterrupted();
    await tracking.close();
    io.out('Stopped.\n');
    return Exit.ok;
  },
};

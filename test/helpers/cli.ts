import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI_JS = path.join(ROOT, 'client/out/cli.js');

/** Runs the built `mlops` bin as CI would: a real process, its streams and exit code. */
export function mlops(
  args: string[],
  cwd = ROOT,
  env: NodeJS.ProcessEnv = process.env,
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_JS, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `mlops serve` running on a workspace: its process and the endpoint it printed. */
export interface Serving {
  readonly process: ChildProcess;
  readonly url: string;
  readonly token: string;
}

/** Starts the built `mlops serve --workspace ws [...extra]` and waits for the URI and token it prints. */
export async function startServe(ws: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<Serving> {
  const child = spawn(process.execPath, [CLI_JS, 'serve', '--workspace', ws, ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise<Serving>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const url = /MLFLOW_TRACKING_URI=(\S+)/.exec(out)?.[1];
      const token = /MLFLOW_TRACKING_TOKEN=(\S+)/.exec(out)?.[1];
      if (url && token) {
        clearTimeout(timer);
        resolve({ process: child, url, token });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

/** `mlops` without blocking this process: for tests that serve something the command talks to. */
export function mlopsAsync(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_JS, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * A team's MLflow server for the remote-store tests: a second workspace's `mlops serve
 * --mlflow-only`, or, when MLOPS_TEST_MLFLOW_URL is set, that server (a real MLflow tracking
 * server, started by hand; test/fixtures/mlflow-2.12.2/README.md). Tests of our own server's
 * properties (its token) look at `external`.
 */
export async function startTeamServer(ws: string): Promise<{ process?: ChildProcess; url: string; token: string; external: boolean }> {
  const external = process.env.MLOPS_TEST_MLFLOW_URL;
  if (external) return { url: external.replace(/\/+$/, ''), token: process.env.MLOPS_TEST_MLFLOW_TOKEN ?? 'unused', external: true };
  return { ...(await startServe(ws, ['--mlflow-only'])), external: false };
}

/** samples/churn copied to `dest` as a clean clone has it: no store, none of the pipeline's outputs. */
export function copyChurnSample(dest: string): string {
  cpSync(path.join(ROOT, 'samples/churn'), dest, {
    recursive: true,
    filter: (src) => !/[\\/](\.mlops|models|reports)$/.test(src) && !/data[\\/](train|test|training)\.csv$/.test(src),
  });
  return dest;
}

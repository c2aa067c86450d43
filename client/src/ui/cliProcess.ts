import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliCall {
  /** The extension's folder: the CLI is `client/out/cli.js` in it. */
  readonly extensionPath: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Each line the CLI writes to stderr (its progress), as it comes. */
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Added to the editor's environment (a token for the CLI to send). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The bundled `mlops` CLI in a child process: the same code CI runs, off the
 * extension host's thread, so a large join or a million-row materialisation
 * never holds up the editor. The editor's Node (Electron as Node in VS Code)
 * runs it; arguments go as an argv array, never through a shell.
 */
export function runCli(call: CliCall): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(call.extensionPath, 'client', 'out', 'cli.js'), ...call.args], {
      cwd: call.cwd,
      env: { ...process.env, ...call.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    let err = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) call.onProgress?.(line.trim());
    });
    const abort = () => child.kill('SIGTERM');
    call.signal?.addEventListener('abort', abort, { once: true });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      call.signal?.removeEventListener('abort', abort);
      resolve({ code: code ?? (signal ? 130 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: err });
    });
  });
}

/** The CLI's own message of a failed call: its last `mlops <command>: ...` line, without the --help hint. */
export function cliFailure(result: CliResult): string {
  const lines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^See 'mlops /.test(l));
  const last = [...lines]
    .reverse()
    .find((l) => /^mlops [a-z -]+: /.test(l) && !/^mlops (features: (reading|materialized|\d)|export: step )/.test(l));
  const message = (last ?? lines.at(-1) ?? `the mlops CLI stopped with exit code ${result.code}`).replace(/^mlops [a-z -]+?: /, '');
  return message;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { quote } from 'shell-quote';
import { startWatchdog, unwatchGroup, watchGroup } from './watchdog';

/** One value as one shell word: `x; rm -rf ~` becomes `'x; rm -rf ~'`. */
export function shellQuote(value: string): string {
  // shell-quote leaves an empty string as nothing at all; a word must stay a word.
  return value === '' ? "''" : quote([value]);
}

export interface ProcessOptions {
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface RunningProcess {
  readonly pid?: number;
  /** Resolves with the exit code, or the signal that ended it; rejects when the shell could not start. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs` if anything is left. */
  kill(graceMs?: number): void;
}

const isWindows = process.platform === 'win32';

/**
 * Runs `command` through the platform shell in a process group of its own, so
 * that a cancel or timeout reaches every grandchild (a `python` started by
 * `sh -c`, the workers it forks) and not only the shell.
 */
export function startProcess(options: ProcessOptions): RunningProcess {
  if (!isWindows) startWatchdog();
  const child: ChildProcess = isWindows
    ? spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', options.command], {
        cwd: options.cwd,
        env: options.env,
        windowsVerbatimArguments: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn('/bin/sh', ['-c', options.command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Should this process die before the step ends (SIGKILL included), the watchdog kills its group.
  const pid = child.pid;
  if (!isWindows && pid !== undefined) watchGroup(pid);
  child.stdout?.on('data', (chunk: Buffer) => options.onOutput('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer) => options.onOutput('stderr', chunk));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', (error) => {
      done = true;
      reject(error);
    });
    // 'close' waits for the pipes too, so no output is lost after the exit.
    child.once('close', (code, signal) => {
      done = true;
      if (!isWindows && pid !== undefined) unwatchGroup(pid);
      resolve({ code, signal });
    });
  });
  let killTimer: NodeJS.Timeout | undefined;
  return {
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    exited,
    kill(graceMs = 3000) {
      if (child.pid === undefined) return;
      if (isWindows) {
        spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' }).on('error', () => undefined);
        return;
      }
      signalGroup(child.pid, 'SIGTERM');
      if (killTimer) return;
      killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
      killTimer.unref();
      void exited.finally(() => {
        // The shell is gone; anything it left in the group gets no grace.
        if (!done) return;
        signalGroup(child.pid!, 'SIGKILL');
        clearTimeout(killTimer);
      });
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already empty.
  }
}

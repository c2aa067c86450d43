import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * The watchdog's program: it lists the process groups it is told about (`+ PGID`, `- PGID`, one
 * per line, on its stdin) and, at the end of its input, signals those still listed: SIGTERM, then
 * SIGKILL 3 s later, as a cancel does. Its stdin is a pipe only the runner's process writes, so the
 * end of input is the runner's death, SIGKILL included: the kernel closes the pipe.
 */
const SCRIPT = `
groups=' '
while read -r op pgid; do
  case "$op" in
    +) groups="$groups$pgid " ;;
    -) case "$groups" in *" $pgid "*) groups="\${groups%% $pgid *} \${groups#* $pgid }" ;; esac ;;
  esac
done
[ -z "\${groups# }" ] && exit 0
for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null; done
sleep 3
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
`;

let watchdog: ChildProcess | undefined;

/** The watchdog of this process, started on first use in a session of its own (so a signal to the runner's group spares it). */
function current(): ChildProcess | undefined {
  if (watchdog?.stdin?.writable) return watchdog;
  try {
    const child = spawn('/bin/sh', ['-c', SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    const forget = () => {
      if (watchdog === child) watchdog = undefined;
    };
    child.once('error', forget);
    child.once('exit', forget);
    child.stdin?.on('error', forget);
    // Neither the process nor its pipe keeps this one alive.
    child.unref();
    (child.stdin as Socket | null)?.unref();
    watchdog = child;
    return child;
  } catch {
    return undefined;
  }
}

/**
 * Starts the watchdog unless it runs: called before a step's shell is spawned, so that announcing
 * the group right after the spawn is one write, not a second spawn the runner could die during.
 */
export function startWatchdog(): void {
  if (process.platform !== 'win32') current();
}

/**
 * Puts a step's process group (its shell's pid) under the watchdog: should this process die
 * before the step ends, the group is killed rather than left running. POSIX only; on Windows a
 * step's tree dies with `taskkill /T` on cancel, and is not watched.
 */
export function watchGroup(pgid: number): void {
  if (process.platform === 'win32') return;
  current()?.stdin?.write(`+ ${pgid}\n`);
}

/** The group ended (or was killed): the watchdog forgets it, so a reused pid is never signalled. */
export function unwatchGroup(pgid: number): void {
  if (process.platform === 'win32' || !watchdog?.stdin?.writable) return;
  watchdog.stdin.write(`- ${pgid}\n`);
}

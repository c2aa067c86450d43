import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../../../../../common/src/errors';
import { processAlive } from '../../processAlive';
import type { RepositoryMethod, TrackingApi } from '../repository';
import { MlflowError } from '../repository/errors';
import { TrackingAuthError } from '../rest/request';

/**
 * Writes a team's server did not take, kept on disk until it does (docs/tracking-remote.md,
 * "Outbox"). Each process appends to its own journal, `.mlops/outbox/<server>-<pid>-<start>.jsonl`,
 * one JSON line per write, fsynced before the write is acknowledged; a journal is replayed in order
 * by its process, or by any process once its writer is gone. Only writes that are safe to send twice
 * are spooled: metrics (the server keeps one copy of an identical point), params, tags, step records
 * (found again by their tags) and run updates.
 */
export const SPOOLED: ReadonlySet<RepositoryMethod> = new Set<RepositoryMethod>([
  'logBatch',
  'logMetric',
  'logParam',
  'setTag',
  'upsertStep',
  'updateRun',
]);

interface Entry {
  v: 1;
  server: string;
  op: RepositoryMethod;
  message: unknown;
  time: number;
}

export function outboxDir(workspaceDir: string): string {
  return path.join(workspaceDir, '.mlops', 'outbox');
}

const serverKey = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 12);

/** `<server>-<pid>-<start>-<seq>.jsonl`: the writer, when it started, and which of its journals. */
function journalName(url: string, pid: number, start: number, seq: number): string {
  return `${serverKey(url)}-${pid}-${start}-${seq}.jsonl`;
}

function journalOrder(name: string): [number, number] {
  const [, , start, seq] = name.replace(/\.jsonl$/, '').split('-');
  return [Number(start), Number(seq)];
}

/** The journals waiting for `url`: this process's own, and those whose writer is gone, oldest first. */
function journals(dir: string, url: string, includeLive = false): string[] {
  if (!existsSync(dir)) return [];
  const prefix = `${serverKey(url)}-`;
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.jsonl'))
    .filter((name) => {
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      return includeLive || (pid !== process.pid && !processAlive(pid));
    })
    .sort((a, b) => {
      const [x, y] = [journalOrder(a), journalOrder(b)];
      return x[0] - y[0] || x[1] - y[1];
    });
}

function readEntries(file: string): Entry[] {
  const entries: Entry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as Entry);
    } catch {
      // A line cut short by a crash mid-append was never acknowledged.
    }
  }
  return entries;
}

/** How many writes wait for `url` in the workspace's outbox (every journal, live writers' too). */
export function pendingCount(workspaceDir: string, url: string): number {
  const dir = outboxDir(workspaceDir);
  return journals(dir, url, true).reduce((n, name) => n + readEntries(path.join(dir, name)).length, 0);
}

/** A failure worth spooling: the server did not answer (or answered 5xx/429 after the retries), not a refusal. */
export function isUnreachable(error: unknown): boolean {
  return !(error instanceof MlflowError) && !(error instanceof TrackingAuthError);
}

export interface DrainResult {
  sent: number;
  left: number;
  /** Why draining stopped early. */
  error?: string;
}

/** Sends the waiting writes of the journals given (in order); each journal shrinks as it goes and is removed once sent. */
async function drainFiles(api: TrackingApi, dir: string, names: readonly string[]): Promise<DrainResult> {
  let sent = 0;
  for (const [index, name] of names.entries()) {
    const file = path.join(dir, name);
    const entries = readEntries(file);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      try {
        await (api[entry.op] as (m: unknown) => Promise<unknown>)(entry.message);
        sent++;
      } catch (error) {
        if (!isUnreachable(error)) {
          // The server refuses it (a deleted run, say): sending again cannot help; it is dropped.
          sent++;
          continue;
        }
        rewrite(file, entries.slice(i));
        const rest = names.slice(index + 1).reduce((n, other) => n + readEntries(path.join(dir, other)).length, 0);
        return { sent, left: entries.length - i + rest, error: errorMessage(error) };
      }
    }
    rmSync(file, { force: true });
  }
  return { sent, left: 0 };
}

function rewrite(file: string, entries: readonly Entry[]): void {
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** Replays what earlier processes left for `url` (their writers gone): `mlops push --outbox`, a run's start, the editor's start. */
export function drainAbandoned(api: TrackingApi, workspaceDir: string, url: string): Promise<DrainResult> {
  const dir = outboxDir(workspaceDir);
  return drainFiles(api, dir, journals(dir, url));
}

/**
 * `api` with the spooled writes made durable: once a write cannot reach the server it, and every
 * spooled write after it, goes to this process's journal (order is kept), and a background drain
 * sends them when the server answers again. Reads and other writes go straight to the server.
 */
export class SpoolingApi {
  readonly api: TrackingApi;
  private readonly dir: string;
  private readonly started = Date.now();
  private seq = 0;
  /** Journals rotated out for sending, oldest first; the active one takes new writes. */
  private sending: string[] = [];
  private waiting = 0;
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: TrackingApi,
    workspaceDir: string,
    private readonly url: string,
    private readonly onSpool: (info: { pending: number; error: string }) => void = () => undefined,
    private readonly retryMs = 5000,
  ) {
    this.dir = outboxDir(workspaceDir);
    this.api = new Proxy({} as TrackingApi, {
      get: (_target, name) => {
        if (typeof name !== 'string' || name === 'then') return undefined;
        const op = name as RepositoryMethod;
        if (!SPOOLED.has(op)) return this.inner[op];
        return (message: unknown) => this.write(op, message);
      },
    });
  }

  /** Writes waiting in this process's journals. */
  get pending(): number {
    return this.waiting;
  }

  private get active(): string {
    return journalName(this.url, process.pid, this.started, this.seq);
  }

  private async write(op: RepositoryMethod, message: unknown): Promise<unknown> {
    if (this.waiting > 0) return this.append(op, message, 'earlier writes are waiting in the outbox');
    try {
      return await (this.inner[op] as (m: unknown) => Promise<unknown>)(message);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      return this.append(op, message, errorMessage(error));
    }
  }

  private append(op: RepositoryMethod, message: unknown, why: string): Record<string, never> {
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(path.join(this.dir, this.active), 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ v: 1, server: this.url, op, message, time: Date.now() } satisfies Entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.waiting++;
    this.onSpool({ pending: this.waiting, error: why });
    this.schedule();
    return {};
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.retryMs);
  }

  /**
   * Tries to send what waits now, in order; resolves when this attempt ends (all sent, or the
   * server still away: then it tries again later). Writes spooled meanwhile go to a new journal.
   */
  flush(): Promise<void> {
    this.draining ??= (async () => {
      try {
        if (existsSync(path.join(this.dir, this.active))) {
          this.sending.push(this.active);
          this.seq++;
        }
        if (this.sending.length === 0) return;
        const appendedBefore = this.waiting;
        const result = await drainFiles(this.inner, this.dir, this.sending);
        this.sending = this.sending.filter((name) => existsSync(path.join(this.dir, name)));
        this.waiting = result.left + (this.waiting - appendedBefore);
        if (this.waiting > 0) this.schedule();
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  /** Stops retrying in the background; what waits stays on disk for a later process. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

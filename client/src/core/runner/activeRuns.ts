/** What the bookkeeping needs of a run: which file it runs, its tracked run id once it has one, and how to cancel it. */
export interface TrackedRun {
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /** The tracking store's run id, once the engine created the run. */
  readonly runId: string | undefined;
  cancel(reason: string): void;
}

/** Which run a command that names none is about. */
export type RunChoice<R> =
  | { readonly kind: 'none' }
  | { readonly kind: 'one'; readonly run: R }
  /** Several are going: the user picks one of them. */
  | { readonly kind: 'pick'; readonly runs: readonly R[] };

const RECENT_RUNS = 20;

/**
 * The runs of one editor window, without vscode: the ones going, the recent
 * ones that ended (for "Show run"), which run a command means, and waiting
 * for every run to record its end before the window closes.
 */
export class ActiveRuns<R extends TrackedRun> {
  private readonly active = new Set<R>();
  /** Each run's whole execution (its end recorded, its notification shown), until it settles. */
  private readonly settling = new Map<R, Promise<void>>();
  /** Ended runs by run id, oldest first. */
  private readonly recent = new Map<string, R>();

  constructor(private readonly keepRecent = RECENT_RUNS) {}

  /** The runs going now, in the order they started. */
  get running(): readonly R[] {
    return [...this.active];
  }

  /** A run of this pipeline file that is going (a second one would write the same outputs). */
  runningFile(file: string): R | undefined {
    return this.running.find((r) => r.file === file);
  }

  /** The run started. */
  begin(run: R): void {
    this.active.add(run);
  }

  /** The run ended (or never started). */
  end(run: R): void {
    this.active.delete(run);
  }

  /** Keeps `execution`, the run's whole course, until it settles (for `stopAll`); returns it. */
  settle(run: R, execution: Promise<void>): Promise<void> {
    const done = execution.finally(() => {
      if (this.settling.get(run) === done) this.settling.delete(run);
    });
    this.settling.set(run, done);
    return done;
  }

  /** Remembers an ended run under its run id, as the newest; the oldest beyond `keepRecent` are forgotten. */
  remember(run: R): void {
    const id = run.runId;
    if (id === undefined) return;
    this.recent.delete(id);
    this.recent.set(id, run);
    while (this.recent.size > this.keepRecent) this.recent.delete(this.recent.keys().next().value!);
  }

  /** The run with this id (going, else recently ended); without an id, the newest that ended. */
  find(runId?: string): R | undefined {
    if (runId === undefined) return [...this.recent.values()].pop();
    return this.running.find((r) => r.runId === runId) ?? this.recent.get(runId);
  }

  /** The run a command such as Cancel Run means: the only one going, or the ones to pick from. */
  choice(): RunChoice<R> {
    const runs = this.running;
    if (runs.length === 0) return { kind: 'none' };
    if (runs.length === 1) return { kind: 'one', run: runs[0]! };
    return { kind: 'pick', runs };
  }

  /** Cancels every run going. */
  cancelAll(reason: string): void {
    for (const run of this.active) run.cancel(reason);
  }

  /**
   * Cancels every run and waits (at most `timeoutMs`) until each has
   * settled, so that the runs record their end before the store closes.
   */
  async stopAll(reason: string, timeoutMs: number): Promise<void> {
    this.cancelAll(reason);
    if (this.settling.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled([...this.settling.values()]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }
}

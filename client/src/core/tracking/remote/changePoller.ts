import type { Run, StoreChange, TrackingApi } from '../repository';
import { MonitorTags, StepTags } from './runMapping';

/** Fastest and slowest poll: every 2 s while something changes and a view is visible, backing off to 30 s. */
export const POLL_MIN_MS = 2000;
export const POLL_MAX_MS = 30_000;
/** How many of the newest runs each poll reads (plus every run still RUNNING). */
export const RECENT_RUNS = 200;

/** What a poll keeps of a run: enough to tell which kind of change happened to it. */
export interface RunState {
  readonly experimentId: string;
  readonly startTime: number;
  readonly deleted: boolean;
  /** Status, end time and name: the run's row. */
  readonly row: string;
  /** How many metric keys and the newest metric timestamp: new points of a running run. */
  readonly metrics: string;
  /** Params and tags, keys and values. */
  readonly data: string;
  /** A pipeline step's nested run: its parent run and step id. */
  readonly step?: readonly [string, string];
  /** A monitor check's run: the monitor's name. */
  readonly monitor?: string;
}

export interface Snapshot {
  /** Active experiments by id: name. */
  readonly experiments: ReadonlyMap<string, string>;
  readonly runs: ReadonlyMap<string, RunState>;
  /** The start time of the oldest of the newest runs when that page was full (older runs may be missing); else undefined. */
  readonly windowStart?: number;
  /** Registered models by name: last update, latest versions' stages, aliases. */
  readonly models: ReadonlyMap<string, string>;
}

export function runState(run: Run): RunState {
  let latest = 0;
  for (const m of run.data.metrics) latest = Math.max(latest, m.timestamp);
  const tag = (key: string) => run.data.tags.find((t) => t.key === key)?.value;
  const parent = tag(StepTags.parent);
  const step = tag(StepTags.step);
  const monitor = tag(MonitorTags.monitor);
  const pairs = (list: readonly { key: string; value: string }[]) =>
    list
      .map((kv) => `${kv.key}=${kv.value}`)
      .sort()
      .join('\u0000');
  return {
    experimentId: run.info.experiment_id,
    startTime: run.info.start_time ?? 0,
    deleted: run.info.lifecycle_stage === 'deleted',
    row: [run.info.status, run.info.end_time ?? '', run.info.run_name].join('|'),
    metrics: `${run.data.metrics.length}|${latest}`,
    data: `${pairs(run.data.params)}\u0001${pairs(run.data.tags)}`,
    ...(parent && step ? { step: [parent, step] as const } : {}),
    ...(monitor ? { monitor } : {}),
  };
}

/**
 * What changed between two snapshots, as the batches the workspace store emits (`StoreChange`):
 * experiments created, renamed or gone; runs created, deleted, restored, with a new status or name,
 * new metric points, changed params or tags; steps (nested runs) and monitor checks; registered
 * models created, changed (versions, stages, aliases) or gone. Nothing on the first poll.
 */
export function diffSnapshots(before: Snapshot | undefined, after: Snapshot): StoreChange[] {
  if (!before) return [];
  const changes: StoreChange[] = [];
  const push = (kind: StoreChange['kind'], op: StoreChange['op'], ids: string[]) => {
    if (ids.length > 0) changes.push({ kind, ids, op });
  };

  const expCreated: string[] = [];
  const expRenamed: string[] = [];
  for (const [id, name] of after.experiments) {
    const was = before.experiments.get(id);
    if (was === undefined) expCreated.push(id);
    else if (was !== name) expRenamed.push(id);
  }
  push('experiment', 'create', expCreated);
  push('experiment', 'update', expRenamed);
  push(
    'experiment',
    'delete',
    [...before.experiments.keys()].filter((id) => !after.experiments.has(id)),
  );

  const created: string[] = [];
  const deleted: string[] = [];
  const updated: string[] = [];
  const metrics: string[] = [];
  const data: string[] = [];
  const steps = new Map<string, readonly [string, string]>();
  const monitors = new Set<string>();
  for (const [id, now] of after.runs) {
    const was = before.runs.get(id);
    const touched = (): void => {
      if (now.step) steps.set(now.step.join('\u0000'), now.step);
      if (now.monitor) monitors.add(now.monitor);
    };
    if (was === undefined) {
      (now.deleted ? deleted : created).push(id);
      touched();
      continue;
    }
    if (was.deleted !== now.deleted) (now.deleted ? deleted : created).push(id);
    else if (was.row !== now.row) updated.push(id);
    if (was.metrics !== now.metrics) metrics.push(id);
    if (was.data !== now.data) data.push(id);
    if (was.deleted !== now.deleted || was.row !== now.row || was.metrics !== now.metrics || was.data !== now.data) touched();
  }
  // A run no longer listed is gone (deleted for good) unless newer runs pushed it out of the page, or its experiment went.
  for (const [id, was] of before.runs) {
    if (after.runs.has(id) || was.deleted || !after.experiments.has(was.experimentId)) continue;
    if (after.windowStart === undefined || was.startTime > after.windowStart) deleted.push(id);
  }
  push('run', 'create', created);
  push('run', 'delete', deleted);
  push('run', 'update', updated);
  push('metric', 'create', metrics);
  push('tag', 'update', data);
  for (const step of steps.values()) changes.push({ kind: 'step', ids: [...step], op: 'update' });
  push('monitor', 'create', [...monitors]);

  const modelsCreated: string[] = [];
  const modelsChanged: string[] = [];
  for (const [name, print] of after.models) {
    const was = before.models.get(name);
    if (was === undefined) modelsCreated.push(name);
    else if (was !== print) modelsChanged.push(name);
  }
  push('model', 'create', modelsCreated);
  push('model', 'update', modelsChanged);
  push(
    'model',
    'delete',
    [...before.models.keys()].filter((name) => !after.models.has(name)),
  );
  return changes;
}

/** One look at the server: the active experiments, the newest runs and every running one, the registered models. */
export async function snapshot(api: TrackingApi): Promise<Snapshot> {
  const { experiments: list } = await api.searchExperiments({ max_results: 1000, view_type: 'ACTIVE_ONLY' });
  const experiments = new Map(list.map((e) => [e.experiment_id, e.name]));
  const runs = new Map<string, RunState>();
  let windowStart: number | undefined;
  if (list.length > 0) {
    const experiment_ids = list.map((e) => e.experiment_id);
    const [newest, running] = await Promise.all([
      api.searchRuns({ experiment_ids, run_view_type: 'ALL', max_results: RECENT_RUNS, order_by: ['attributes.start_time DESC'] }),
      api.searchRuns({
        experiment_ids,
        filter: "attributes.status = 'RUNNING'",
        max_results: RECENT_RUNS,
        order_by: ['attributes.start_time DESC'],
      }),
    ]);
    for (const run of newest.runs) runs.set(run.info.run_id, runState(run));
    if (newest.runs.length >= RECENT_RUNS) windowStart = newest.runs[newest.runs.length - 1]?.info.start_time ?? 0;
    for (const run of running.runs) if (!runs.has(run.info.run_id)) runs.set(run.info.run_id, runState(run));
  }
  const models = new Map<string, string>();
  let pageToken: string | undefined;
  do {
    const page = await api.searchRegisteredModels({ max_results: 1000, ...(pageToken ? { page_token: pageToken } : {}) });
    for (const m of page.registered_models)
      models.set(
        m.name,
        [
          m.last_updated_timestamp,
          m.description ?? '',
          m.latest_versions.map((v) => `${v.version}:${v.current_stage}:${v.last_updated_timestamp}`).join(','),
          m.aliases
            .map((a) => `${a.alias}=${a.version}`)
            .sort()
            .join(','),
        ].join('|'),
      );
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return { experiments, runs, models, ...(windowStart !== undefined ? { windowStart } : {}) };
}

/**
 * Change events for a team's MLflow server, which has no push: polls the experiments, the newest
 * runs (and every running one) and the registered models, and reports the differences as
 * StoreChange batches. It polls every 2 s while changes come and a view is visible, doubling the
 * wait (up to 30 s) while nothing changes, the server does not answer, or nothing is visible
 * (then it waits 30 s). `poke()` polls at once (after the editor's own writes, or when a view
 * becomes visible).
 */
export class ChangePoller {
  private last: Snapshot | undefined;
  private delay = POLL_MIN_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private polling: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly api: TrackingApi,
    private readonly onChanges: (changes: StoreChange[]) => void,
    private readonly visible: () => boolean,
    /** After each poll: whether the server answered, and the error when not. */
    private readonly onReachability: (reachable: boolean, error?: unknown) => void = () => undefined,
  ) {}

  start(): void {
    void this.poll();
  }

  /** The wait before the next poll (for the status bar and the tests). */
  get nextDelay(): number {
    return this.delay;
  }

  /** Polls now (or right after the poll under way), and at the fastest pace again. */
  poke(): void {
    if (this.stopped) return;
    this.delay = POLL_MIN_MS;
    if (this.polling) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.poll();
  }

  /** One poll: what changed since the previous one (none on the first); then the next is scheduled. */
  poll(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.poke();
      }
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let changed = false;
    try {
      const next = await snapshot(this.api);
      if (this.stopped) return;
      const changes = diffSnapshots(this.last, next);
      this.last = next;
      this.onReachability(true);
      if (changes.length > 0) {
        changed = true;
        this.onChanges(changes);
      }
    } catch (error) {
      if (this.stopped) return;
      this.onReachability(false, error);
    }
    const visible = this.visible();
    this.delay = changed && visible ? POLL_MIN_MS : Math.min(POLL_MAX_MS, this.delay * 2);
    if (this.again) return;
    this.timer = setTimeout(() => void this.poll(), visible ? this.delay : POLL_MAX_MS);
    this.timer.unref?.();
  }

  dispose(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

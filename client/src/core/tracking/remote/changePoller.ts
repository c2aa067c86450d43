import { errorMessage } from '../../../../../common/src/errors';
import type { Run, StoreChange, TrackingApi } from '../repository';

/** Fastest and slowest poll: every 2 s while something changes and a view is visible, backing off to 30 s. */
export const POLL_MIN_MS = 2000;
export const POLL_MAX_MS = 30_000;
const RECENT_RUNS = 200;

function runPrint(run: Run): string {
  let latest = 0;
  for (const m of run.data.metrics) latest = Math.max(latest, m.timestamp);
  return [
    run.info.status,
    run.info.end_time ?? '',
    run.info.run_name,
    run.info.lifecycle_stage,
    run.data.metrics.length,
    latest,
    run.data.tags.length,
  ].join('|');
}

/** What changed between two snapshots, as the store's change batches. */
export function diffSnapshots(before: Snapshot | undefined, after: Snapshot): StoreChange[] {
  if (!before) return [];
  const changes: StoreChange[] = [];
  if (before.experiments !== after.experiments) changes.push({ kind: 'experiment', ids: [], op: 'update' });
  const created: string[] = [];
  const updated: string[] = [];
  for (const [id, print] of after.runs) {
    const was = before.runs.get(id);
    if (was === undefined) created.push(id);
    else if (was !== print) updated.push(id);
  }
  if (created.length > 0) changes.push({ kind: 'run', ids: created, op: 'create' });
  if (updated.length > 0) changes.push({ kind: 'run', ids: updated, op: 'update' });
  const models = [...after.models].filter(([name, print]) => before.models.get(name) !== print).map(([name]) => name);
  const gone = [...before.models.keys()].filter((name) => !after.models.has(name));
  if (models.length > 0 || gone.length > 0) changes.push({ kind: 'model', ids: [...models, ...gone], op: 'update' });
  return changes;
}

export interface Snapshot {
  experiments: string;
  runs: Map<string, string>;
  models: Map<string, string>;
}

export async function snapshot(api: TrackingApi): Promise<Snapshot> {
  const { experiments } = await api.searchExperiments({ max_results: 1000, view_type: 'ACTIVE_ONLY' });
  const runs = new Map<string, string>();
  if (experiments.length > 0) {
    const page = await api.searchRuns({
      experiment_ids: experiments.map((e) => e.experiment_id),
      run_view_type: 'ALL',
      max_results: RECENT_RUNS,
      order_by: ['attributes.start_time DESC'],
    });
    for (const run of page.runs) runs.set(run.info.run_id, runPrint(run));
  }
  const models = new Map<string, string>();
  const { registered_models } = await api.searchRegisteredModels({ max_results: 1000 });
  for (const m of registered_models)
    models.set(
      m.name,
      [
        m.last_updated_timestamp,
        m.latest_versions.map((v) => `${v.version}:${v.current_stage}`).join(','),
        m.aliases.map((a) => `${a.alias}=${a.version}`).join(','),
      ].join('|'),
    );
  return { experiments: experiments.map((e) => `${e.experiment_id}:${e.name}:${e.lifecycle_stage}`).join(','), runs, models };
}

/**
 * Change events for a team's MLflow server, which has no push: polls the newest runs, the
 * experiments and the registered models, and reports differences as StoreChange batches. It polls
 * every 2 s while changes come and a view is visible, doubling the wait (up to 30 s) while nothing
 * changes or nothing is visible; `poke()` polls at once (after the editor's own writes).
 */
export class ChangePoller {
  private last: Snapshot | undefined;
  private delay = POLL_MIN_MS;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling = false;

  constructor(
    private readonly api: TrackingApi,
    private readonly onChanges: (changes: StoreChange[]) => void,
    private readonly visible: () => boolean,
    private readonly onReachability: (reachable: boolean, error?: string) => void = () => undefined,
  ) {}

  start(): void {
    void this.poll();
  }

  poke(): void {
    this.delay = POLL_MIN_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.poll();
  }

  /** One poll: what changed since the previous one (none on the first). */
  async poll(): Promise<void> {
    if (this.stopped || this.polling) return;
    this.polling = true;
    let changed = false;
    try {
      const next = await snapshot(this.api);
      const changes = diffSnapshots(this.last, next);
      this.last = next;
      this.onReachability(true);
      if (changes.length > 0) {
        changed = true;
        this.onChanges(changes);
      }
    } catch (error) {
      this.onReachability(false, errorMessage(error));
    } finally {
      this.polling = false;
    }
    this.delay = changed && this.visible() ? POLL_MIN_MS : Math.min(POLL_MAX_MS, this.delay * 2);
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.visible() ? this.delay : POLL_MAX_MS);
  }

  dispose(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

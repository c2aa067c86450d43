import { errorMessage } from '../../../../common/src/errors';
import { trackingChoiceFor } from '../../core/tracking/rest/access';
import { remoteStoreFromEnv } from '../../core/tracking/remote/remoteStore';
import type { Run, StoreChange, TrackingApi } from '../../core/tracking/repository';
import { serveWorkspace } from '../../core/tracking/workspaceServer';
import { Exit, table, type CliIO } from '../command';
import { retryNotice, trackingUriOf, workspaceOf } from './trackingAccess';
import { untilInterrupted } from '../interrupted';

/** A team's MLflow server pushes nothing: the list is read again this often. */
const REMOTE_POLL_MS = 5000;
/** Changes arriving together (a pipeline logging) print once. */
const SETTLE_MS = 100;
const RUN_KINDS: ReadonlySet<StoreChange['kind']> = new Set(['experiment', 'run', 'metric', 'param', 'tag', 'step']);

export interface RunsWatchSpec {
  readonly header: readonly string[];
  readonly row: (run: Run) => string[];
  /** The runs the list shows (the command's filter, order and limit), read again on every change. */
  readonly list: (api: TrackingApi) => Promise<Run[]>;
  readonly json: boolean;
}

/**
 * `mlops runs list --watch`: prints the list, then follows the store and prints the rows that
 * appear (`+`), change (`~`) or leave the list (`-`) until Ctrl+C (exit 0). The workspace store is
 * followed through its change events: the store itself when it is free (this process then serves
 * it, as `mlops serve` does, so other commands still write), the change stream of the process
 * holding it otherwise; a team's MLflow server is read again every 5 s. With `--json`, one JSON
 * object a line: `{"event":"list","runs":[...]}`, then `{"event":"created"|"updated"|"removed","run":...}`.
 */
export async function watchRuns(values: Record<string, unknown>, io: CliIO, spec: RunsWatchSpec): Promise<number> {
  const workspaceDir = workspaceOf(values, io.cwd);
  const choice = trackingChoiceFor(workspaceDir, trackingUriOf(values).trackingUri, process.env);
  let api: TrackingApi;
  let follow: (changed: () => void) => { dispose(): void };
  let close = async () => undefined as void;
  if (choice.kind === 'remote') {
    api = remoteStoreFromEnv(choice.url, process.env, { onRetry: retryNotice(io) }).api;
    follow = (changed) => {
      const timer = setInterval(changed, REMOTE_POLL_MS);
      return { dispose: () => clearInterval(timer) };
    };
  } else {
    const tracking = await serveWorkspace({
      workspaceDir,
      joinPeer: true,
      follow: true,
      log: (level, message) => io.err(`mlops: ${level}: ${message}\n`),
    });
    if (tracking.role === 'owner') io.err(`mlops: serving the workspace store at ${tracking.url} while watching\n`);
    api = tracking.api;
    follow = (changed) => tracking.onChange((batch) => batch.some((c) => RUN_KINDS.has(c.kind)) && changed());
    close = () => tracking.close();
  }

  const shown = new Map<string, { run: Run; text: string }>();
  const remember = (runs: readonly Run[]) => {
    shown.clear();
    for (const run of runs) shown.set(run.info.run_id, { run, text: JSON.stringify(spec.row(run)) });
  };
  let timer: NodeJS.Timeout | undefined;
  const reprint = async () => {
    let runs: Run[];
    try {
      runs = await spec.list(api);
    } catch (error) {
      io.err(`mlops: could not read the runs: ${errorMessage(error)}\n`);
      return;
    }
    const marked: { mark: string; run: Run; event: string }[] = [];
    const fresh = new Set(runs.map((r) => r.info.run_id));
    for (const run of runs) {
      const before = shown.get(run.info.run_id);
      if (!before) marked.push({ mark: '+', run, event: 'created' });
      else if (before.text !== JSON.stringify(spec.row(run))) marked.push({ mark: '~', run, event: 'updated' });
    }
    for (const [id, before] of shown) if (!fresh.has(id)) marked.push({ mark: '-', run: before.run, event: 'removed' });
    remember(runs);
    if (marked.length === 0) return;
    if (spec.json) for (const m of marked) io.out(`${JSON.stringify({ event: m.event, run: m.run })}\n`);
    else
      io.out(
        table(
          ['', ...spec.header],
          marked.map((m) => [m.mark, ...spec.row(m.run)]),
        ),
      );
  };
  // Followed before the first read, so that nothing written meanwhile is missed; reprints wait for that read.
  let listed!: () => void;
  let reading = new Promise<void>((resolve) => (listed = resolve));
  const subscription = follow(() => {
    timer ??= setTimeout(() => {
      timer = undefined;
      reading = reading.then(reprint);
    }, SETTLE_MS);
  });
  const first = spec.list(api).then((initial) => {
    remember(initial);
    if (spec.json) io.out(`${JSON.stringify({ event: 'list', runs: initial })}\n`);
    else io.out(table(spec.header, initial.map(spec.row)));
  });
  void first.finally(listed).catch(() => undefined);
  try {
    await first;
  } catch (error) {
    subscription.dispose();
    if (timer) clearTimeout(timer);
    await close();
    throw error;
  }
  io.err('mlops: watching for changes; press Ctrl+C to stop.\n');
  await untilInterrupted();
  subscription.dispose();
  if (timer) clearTimeout(timer);
  await reading;
  await close();
  return Exit.ok;
}

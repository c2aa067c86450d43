import { hostname } from 'node:os';
import { processAlive } from '../processAlive';
import { allExperiments } from '../tracking/listing';
import type { TrackingApi } from '../tracking/repository';
import { RunnerTags } from './recorder';

/**
 * Marks FAILED the runs a runner started and never ended because its process
 * died (a crashed or killed editor, a killed CI job): status RUNNING, started
 * by a runner on this host whose pid is gone. Runs that `mlflow` clients
 * started themselves carry no runner tag and are left alone. Returns how many
 * runs it ended.
 */
export async function recoverAbandonedRuns(api: TrackingApi): Promise<number> {
  const host = hostname();
  const experimentIds = (await allExperiments(api)).map((e) => e.experiment_id);
  let ended = 0;
  for (let i = 0; i < experimentIds.length; i += 100) {
    let pageToken: string | undefined;
    do {
      const page = await api.searchRuns({
        experiment_ids: experimentIds.slice(i, i + 100),
        filter: "attributes.status = 'RUNNING'",
        max_results: 1000,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      for (const run of page.runs) {
        const tags = new Map(run.data.tags.map((t) => [t.key, t.value]));
        const pid = Number(tags.get(RunnerTags.runnerPid));
        if (!Number.isInteger(pid) || pid <= 0 || tags.get(RunnerTags.runnerHost) !== host || processAlive(pid)) continue;
        const now = Date.now();
        const { steps } = await api.listSteps({ run_id: run.info.run_id });
        for (const step of steps.filter((s) => s.status === 'RUNNING' || s.status === 'PENDING')) {
          await api.upsertStep({
            run_id: run.info.run_id,
            step_id: step.step_id,
            status: 'FAILED',
            end_time: now,
            cached: step.cached,
            message: `the runner (pid ${pid}) stopped before the step ended`,
          });
        }
        await api.updateRun({ run_id: run.info.run_id, status: 'FAILED', end_time: now });
        ended++;
      }
      pageToken = page.next_page_token;
    } while (pageToken);
  }
  return ended;
}

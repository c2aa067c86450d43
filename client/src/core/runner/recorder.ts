import { hostname } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../../../../common/src/errors';
import type { Run, TrackingApi, UpsertStepRequest } from '../tracking/repository';
import { ensureExperiment, allRuns } from '../tracking/listing';
import { filterString, StepTags } from '../tracking/remote/runMapping';
import type { PipelinePlan } from './plan';
import type { ParamValue, RunStatus } from './types';

/** Tags the runner sets on every run it starts (besides MLflow's own `mlflow.*` ones). */
export const RunnerTags = {
  pipeline: 'mlops.pipeline',
  pipelineFile: 'mlops.pipelineFile',
  cachedSteps: 'mlops.cachedSteps',
  runnerPid: 'mlops.runner.pid',
  runnerHost: 'mlops.runner.host',
  gitCommit: 'mlflow.source.git.commit',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
} as const;

/** MLflow accepts at most 1,000 metrics per log-batch call. */
const BATCH = 1000;
const FLUSH_MS = 200;

type PendingMetric = { key: string; value: number; timestamp: number; step: number };

/**
 * The tracking side of one pipeline execution: the run, its params and tags,
 * its step rows and its metrics, batched so a step printing thousands of
 * metric lines costs a few log-batch calls.
 */
export class RunRecorder {
  private pending: PendingMetric[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly latest = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    readonly api: TrackingApi,
    readonly runId: string,
    readonly runName: string,
    readonly experimentId: string,
    /**
     * Local folder of the run's artifacts: `.mlops/artifacts/<exp>/<run>/artifacts` in the workspace
     * store; a staging folder (`.mlops/runs/<run>/artifacts`) uploaded at the end when the store is
     * a team's server.
     */
    readonly artifactDir: string,
    /** The run's artifact URI as the store gave it. */
    readonly artifactUri: string,
    /** Steps are nested runs whose metrics count as the run's (a team's server: docs/tracking-remote.md). */
    private readonly nestedSteps: boolean,
    private readonly onError: (message: string) => void,
  ) {}

  static async start(
    api: TrackingApi,
    plan: PipelinePlan,
    params: Readonly<Record<string, ParamValue>>,
    options: {
      relativeFile: string;
      gitCommit?: string;
      onError: (message: string) => void;
      /** Where a run whose artifacts are not a local folder stages them: `<stagingRoot>/<run>/artifacts`. */
      stagingRoot?: string;
      nestedSteps?: boolean;
    },
  ): Promise<RunRecorder> {
    const experimentId = await ensureExperiment(api, plan.experiment);
    const tags = [
      { key: RunnerTags.pipeline, value: plan.name },
      { key: RunnerTags.pipelineFile, value: options.relativeFile },
      { key: RunnerTags.runnerPid, value: String(process.pid) },
      { key: RunnerTags.runnerHost, value: hostname() },
      { key: RunnerTags.sourceName, value: options.relativeFile },
      { key: RunnerTags.sourceType, value: 'PROJECT' },
      ...(options.gitCommit ? [{ key: RunnerTags.gitCommit, value: options.gitCommit }] : []),
    ];
    const { run } = await api.createRun({ experiment_id: experimentId, start_time: Date.now(), tags });
    const paramList = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    for (let i = 0; i < paramList.length; i += 100) await api.logBatch({ run_id: run.info.run_id, params: paramList.slice(i, i + 100) });
    const uri = run.info.artifact_uri;
    const artifactDir = uri.startsWith('file:')
      ? fileURLToPath(uri)
      : options.stagingRoot
        ? path.join(options.stagingRoot, run.info.run_id, 'artifacts')
        : uri;
    return new RunRecorder(
      api,
      run.info.run_id,
      run.info.run_name,
      experimentId,
      artifactDir,
      uri,
      options.nestedSteps ?? false,
      options.onError,
    );
  }

  /**
   * Records a step's state without waiting for the store: writes reach the
   * store in call order (one queue to the worker or the endpoint), and
   * `finish` waits for all of them, so the next step starts at once.
   */
  step(record: Omit<UpsertStepRequest, 'run_id'>): void {
    const write = this.guard(`record step ${record.step_id}`, () => this.api.upsertStep({ run_id: this.runId, ...record }));
    this.inFlight.add(write);
    void write.finally(() => this.inFlight.delete(write));
  }

  /** Resolves when every write started so far has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async tag(key: string, value: string): Promise<void> {
    await this.guard(`set tag ${key}`, () => this.api.setTag({ run_id: this.runId, key, value }));
  }

  metric(key: string, value: number, step = 0): void {
    this.pending.push({ key, value, timestamp: Date.now(), step });
    this.latest.set(key, value);
    if (this.pending.length >= BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Sends the queued metrics; resolves when everything queued before the call is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      for (let i = 0; i < batch.length; i += BATCH) {
        const metrics = batch.slice(i, i + BATCH);
        await this.guard('log metrics', () => this.api.logBatch({ run_id: this.runId, metrics }));
      }
    });
    return this.flushing;
  }

  /** The nested runs of the steps by step id (a team's server), read once they are all recorded. */
  async nestedRuns(): Promise<Map<string, Run>> {
    const found = new Map<string, Run>();
    if (!this.nestedSteps) return found;
    await this.settled();
    const filter = `tags.\`${StepTags.parent}\` = ${filterString(this.runId)}`;
    // Oldest first: should a step have two nested runs, the newest is the one.
    for (const run of await allRuns(this.api, [this.experimentId], { filter, view: 'ALL' })) {
      const step = run.data.tags.find((t) => t.key === StepTags.step)?.value;
      if (step) found.set(step, run);
    }
    return found;
  }

  /**
   * Latest value of each metric: what this process logged, plus what steps logged themselves
   * through MLflow (into their nested runs, on a team's server: the run's own values win).
   */
  async metrics(): Promise<Record<string, number>> {
    await this.flush();
    const out: Record<string, number> = {};
    try {
      if (this.nestedSteps)
        for (const nested of (await this.nestedRuns()).values())
          for (const m of nested.data.metrics) if (typeof m.value === 'number') out[m.key] = m.value;
      const { run } = await this.api.getRun({ run_id: this.runId });
      for (const m of run.data.metrics) if (typeof m.value === 'number') out[m.key] = m.value;
    } catch (error) {
      this.onError(`cannot read the run's metrics: ${errorMessage(error)}`);
      for (const [key, value] of this.latest) out[key] = value;
    }
    return out;
  }

  async finish(status: RunStatus): Promise<void> {
    await this.flush();
    await this.settled();
    await this.guard('end the run', () => this.api.updateRun({ run_id: this.runId, status, end_time: Date.now() }));
  }

  /** A tracking write that fails must not take the running steps down with it: report it and go on. */
  private async guard(what: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.onError(`could not ${what} in the tracking store: ${errorMessage(error)}`);
    }
  }
}

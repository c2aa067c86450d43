import { allExperiments, allRuns } from '../listing';
import type { Empty, FindCachedStepRequest, RunIdRequest, StepRecord, TrackingApi, UpsertStepRequest } from '../repository';
import { filterString, runStatusOfStep, stepOfRun, StepTags, stepTags } from './runMapping';

interface ParentSteps {
  experimentId: string;
  /** Step id to its nested run id. */
  runs: Map<string, Promise<string>>;
}

/**
 * Pipeline steps as nested runs of the pipeline's run on a team's MLflow server. Writes of one step
 * go out in call order (the runner does not wait for them), and a step's nested run is found again
 * by its tags, so recording a step twice never creates a second run.
 */
export class StepRuns {
  private readonly parents = new Map<string, Promise<ParentSteps>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly positions = new Map<string, number>();

  constructor(private readonly api: TrackingApi) {}

  upsert(req: UpsertStepRequest): Promise<Empty> {
    const key = `${req.run_id}/${req.step_id}`;
    if (!this.positions.has(key)) this.positions.set(key, this.positions.size);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(
      () => this.write(req, key),
      () => this.write(req, key),
    );
    this.queues.set(key, next);
    const forget = () => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  async list(req: RunIdRequest): Promise<{ steps: StepRecord[] }> {
    const parent = await this.experimentOf(req.run_id);
    const runs = await allRuns(this.api, [parent], { filter: this.childrenOf(req.run_id), view: 'ALL' });
    const steps: { record: StepRecord; position: number }[] = [];
    for (const run of runs) {
      const record = stepOfRun(run);
      if (!record) continue;
      const position = Number(run.data.tags.find((t) => t.key === StepTags.position)?.value ?? Number.MAX_SAFE_INTEGER);
      steps.push({ record, position });
    }
    steps.sort((a, b) => a.position - b.position || (a.record.start_time ?? 0) - (b.record.start_time ?? 0));
    return { steps: steps.map((s) => s.record) };
  }

  /** The newest succeeded execution with this cache key, in any active experiment. */
  async findCached(req: FindCachedStepRequest): Promise<{ step?: StepRecord }> {
    const experiments = (await allExperiments(this.api)).map((e) => e.experiment_id);
    if (experiments.length === 0) return {};
    const filter = `tags.\`${StepTags.cacheKey}\` = ${filterString(req.cache_key)} and tags.\`${StepTags.status}\` = 'SUCCEEDED'`;
    const answer = await this.api.searchRuns({
      experiment_ids: experiments,
      filter,
      run_view_type: 'ACTIVE_ONLY',
      max_results: 1,
      order_by: ['attributes.end_time DESC'],
    });
    const run = answer.runs[0];
    const step = run ? stepOfRun(run) : undefined;
    return step ? { step } : {};
  }

  private async write(req: UpsertStepRequest, key: string): Promise<Empty> {
    const runId = await this.nestedRun(req, key);
    await this.api.logBatch({ run_id: runId, tags: stepTags(req) });
    const ended = req.end_time !== undefined && req.status !== 'PENDING' && req.status !== 'RUNNING';
    await this.api.updateRun({ run_id: runId, status: runStatusOfStep(req.status), ...(ended ? { end_time: req.end_time } : {}) });
    return {};
  }

  private nestedRun(req: UpsertStepRequest, key: string): Promise<string> {
    return this.parentSteps(req.run_id).then((parent) => {
      let run = parent.runs.get(req.step_id);
      if (!run) {
        run = this.createNested(parent.experimentId, req, this.positions.get(key) ?? 0);
        parent.runs.set(req.step_id, run);
        // A failed create may be tried again by the next write of the step.
        run.catch(() => parent.runs.delete(req.step_id));
      }
      return run;
    });
  }

  private async createNested(experimentId: string, req: UpsertStepRequest, position: number): Promise<string> {
    const { run } = await this.api.createRun({
      experiment_id: experimentId,
      run_name: req.step_id,
      start_time: req.start_time ?? Date.now(),
      tags: [
        { key: StepTags.parent, value: req.run_id },
        { key: StepTags.step, value: req.step_id },
        { key: StepTags.runName, value: req.step_id },
        { key: StepTags.position, value: String(position) },
      ],
    });
    return run.info.run_id;
  }

  /** The parent's experiment and the nested step runs it already has, read once per parent. */
  private parentSteps(parentId: string): Promise<ParentSteps> {
    let found = this.parents.get(parentId);
    if (!found) {
      found = (async () => {
        const experimentId = await this.experimentOf(parentId);
        const runs = new Map<string, Promise<string>>();
        for (const run of await allRuns(this.api, [experimentId], { filter: this.childrenOf(parentId), view: 'ALL' })) {
          const step = run.data.tags.find((t) => t.key === StepTags.step)?.value;
          if (step && !runs.has(step)) runs.set(step, Promise.resolve(run.info.run_id));
        }
        return { experimentId, runs };
      })();
      this.parents.set(parentId, found);
      found.catch(() => this.parents.delete(parentId));
    }
    return found;
  }

  private async experimentOf(runId: string): Promise<string> {
    return (await this.api.getRun({ run_id: runId })).run.info.experiment_id;
  }

  /** The search filter for the nested runs of `parentId`. */
  private childrenOf(parentId: string): string {
    return `tags.\`${StepTags.parent}\` = ${filterString(parentId)}`;
  }
}

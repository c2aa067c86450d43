import * as path from 'node:path';
import { errorMessage } from '../../../../common/src/errors';
import type { PipelineGraph } from '../../../../common/src/pipeline/graph';
import type { GraphHostMessage, RunChoice } from '../../../../common/src/protocol/graphMessages';
import { loadPipeline, type PipelinePlan } from '../runner/plan';
import type { ParamValue } from '../runner/types';
import type { Run, StepRecord, StoreChange, TrackingApi } from '../tracking/repository';
import { lastRunsOf } from '../views/pipelineRuns';
import { graphRunState, runChoice } from './runState';
import { stepDetails, stepMetricKeys } from './stepDetails';

/** The run picker lists this many runs of the pipeline, newest first. */
export const PICKER_RUNS = 100;
/** Step changes of the run shown are drawn at most this often. */
const STATE_INTERVAL_MS = 150;
/** Runs starting and ending refresh the picker after this quiet time. */
const RUNS_DELAY_MS = 300;

export const LATEST = 'latest';

/** What the handler needs from its surroundings (the panel adapter, or a test). */
export interface GraphRunDeps {
  /** The open store, or undefined while it is closed. */
  api(): Promise<TrackingApi | undefined>;
  post(message: GraphHostMessage): void;
  log(message: string): void;
  /** Where `.mlops/` lives: paths in tooltips are shown relative to it. */
  readonly workspaceDir?: string;
}

/** The pipeline file shown, as the editor has it now. */
export interface ShownPipeline {
  readonly file: string;
  /** Relative to the workspace with `/`: the runner's `mlops.pipelineFile` tag. */
  readonly relative: string;
  readonly text: string;
  readonly graph: PipelineGraph;
}

/** Where a step's log is: a file here, or an artifact of a run on a team's server. */
export type StepLog = { readonly file: string } | { readonly runId: string; readonly artifact: string };

/**
 * The run side of the pipeline graph panel: the run picker, the state of the run shown (which
 * follows the store's change batches, so runs started anywhere show live), a node's log and
 * tooltip. No vscode here.
 */
export class GraphRunHandler {
  private shown: ShownPipeline | undefined;
  private selected = LATEST;
  private runs: RunChoice[] = [];
  private runId: string | undefined;
  private run: Run | undefined;
  private runNames = new Map<string, string>();
  private steps: StepRecord[] = [];
  private stateTimer: NodeJS.Timeout | undefined;
  private runsTimer: NodeJS.Timeout | undefined;
  private lastState = 0;
  private plan: { text: string; plan?: PipelinePlan; problem?: string } | undefined;
  private claimed: { runId: string; keys: Map<string, Set<string>> } | undefined;
  private disposed = false;

  constructor(private readonly deps: GraphRunDeps) {}

  /**
   * The file shown, after each edit; another file starts again from its latest run. `reloaded`:
   * the page was (re)loaded and has nothing yet (a hidden webview is discarded and reloads).
   */
  async setPipeline(pipeline: ShownPipeline, reloaded = false): Promise<void> {
    const switched = this.shown?.relative !== pipeline.relative;
    this.shown = pipeline;
    if (switched) {
      this.selected = LATEST;
      this.runId = undefined;
      this.claimed = undefined;
    }
    if (switched || reloaded) {
      await this.refreshRuns();
    } else if (this.runId) {
      // Retries and edges come from the file: redraw the run on the new graph.
      this.postState();
    }
  }

  async select(runId: string): Promise<void> {
    this.selected = runId;
    await this.refreshRuns();
  }

  /** A batch of store changes: new runs refresh the picker, step changes of the run shown redraw it. */
  onStoreChange(batch: readonly StoreChange[]): void {
    if (!this.shown) return;
    let runs = false;
    let state = false;
    for (const change of batch) {
      const id = change.ids[0];
      if (change.kind === 'run') {
        if (change.op !== 'update') runs = true;
        else if (id === this.runId) state = runs = true;
        else if (this.runs.some((r) => r.runId === id)) runs = true;
      } else if (change.kind === 'tag' && this.runs.some((r) => r.runId === id))
        runs = true; // a rename
      else if (change.kind === 'step' && id === this.runId) state = true;
      else if (change.kind === 'metric' && id === this.runId) this.claimed = undefined;
      else if (change.kind === 'experiment' && change.op === 'delete') runs = true;
    }
    if (runs) {
      clearTimeout(this.runsTimer);
      this.runsTimer = setTimeout(() => void this.refreshRuns(), RUNS_DELAY_MS);
    }
    if (state && !this.stateTimer) {
      const wait = Math.max(0, this.lastState + STATE_INTERVAL_MS - Date.now());
      this.stateTimer = setTimeout(() => {
        this.stateTimer = undefined;
        void this.refreshState();
      }, wait);
    }
  }

  /** Lists the pipeline's runs, picks the one to show and draws it. */
  async refreshRuns(): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    const api = await this.deps.api();
    if (!api) {
      this.runs = [];
      this.runId = undefined;
      this.deps.post({
        type: 'runs',
        payload: { runs: [], selected: LATEST, trackingOff: 'The tracking store is not open: no runs to show.' },
      });
      this.deps.post({ type: 'runState', payload: null });
      return;
    }
    try {
      const rows = await lastRunsOf(api, shown.relative, PICKER_RUNS);
      if (this.disposed || shown !== this.shown) return;
      this.runs = rows.map((r) => ({
        runId: r.runId,
        name: r.name,
        status: r.status,
        ...(r.startTime !== undefined ? { startTime: r.startTime } : {}),
      }));
      for (const r of this.runs) this.runNames.set(r.runId, r.name);
      if (this.selected !== LATEST && !this.runs.some((r) => r.runId === this.selected)) {
        // An older run than the picker lists (or a deleted one): keep it if it still exists.
        const kept = await api.getRun({ run_id: this.selected }).catch(() => undefined);
        if (kept && kept.run.info.lifecycle_stage !== 'deleted') this.runs.push(runChoice(kept.run));
        else this.selected = LATEST;
      }
      this.deps.post({ type: 'runs', payload: { runs: this.runs, selected: this.selected } });
      const next = this.selected === LATEST ? this.runs[0]?.runId : this.selected;
      if (next !== this.runId) {
        this.runId = next;
        this.steps = [];
        this.claimed = undefined;
      }
      await this.refreshState();
    } catch (error) {
      this.deps.log(`Pipeline graph: could not list the runs of ${shown.relative}: ${errorMessage(error)}`);
    }
  }

  /** Reads the run shown and its steps, and posts them. */
  async refreshState(): Promise<void> {
    this.lastState = Date.now();
    const runId = this.runId;
    const api = await this.deps.api();
    if (!runId || !api) {
      this.run = undefined;
      this.deps.post({ type: 'runState', payload: null });
      return;
    }
    try {
      const [{ run }, { steps }] = await Promise.all([api.getRun({ run_id: runId }), api.listSteps({ run_id: runId })]);
      if (this.disposed || runId !== this.runId) return;
      for (const step of steps)
        if (step.cached_from && !this.runNames.has(step.cached_from)) {
          const from = await api.getRun({ run_id: step.cached_from }).catch(() => undefined);
          if (from) this.runNames.set(step.cached_from, from.run.info.run_name);
        }
      this.run = run;
      this.steps = steps;
      this.postState();
    } catch (error) {
      this.deps.log(`Pipeline graph: could not read run ${runId}: ${errorMessage(error)}`);
    }
  }

  private postState(): void {
    if (!this.shown || !this.run || this.run.info.run_id !== this.runId) return;
    this.deps.post({ type: 'runState', payload: graphRunState(this.shown.graph, this.run, this.steps, this.runNames, Date.now()) });
  }

  /** Where the log of a step of the run shown is; a cached step's is the log of the run it came from. */
  async logOf(stepId: string): Promise<StepLog | undefined> {
    const step = this.steps.find((s) => s.step_id === stepId);
    if (!step) return undefined;
    if (step.log_path) return { file: step.log_path };
    if (step.step_run_id) return { runId: step.step_run_id, artifact: `logs/${step.step_id}.log` };
    if (step.cached && step.cached_from) {
      const api = await this.deps.api();
      const origin = (await api?.listSteps({ run_id: step.cached_from }).catch(() => undefined))?.steps.find((s) => s.step_id === stepId);
      if (origin?.log_path) return { file: origin.log_path };
      if (origin?.step_run_id) return { runId: origin.step_run_id, artifact: `logs/${stepId}.log` };
    }
    return undefined;
  }

  /** Answers a tooltip: the step's details, with sizes read now. */
  async details(stepId: string): Promise<void> {
    const shown = this.shown;
    const node = shown?.graph.nodes.find((n) => n.id === stepId);
    if (!shown || !node) return;
    const { plan, problem } = await this.planOf(shown);
    const api = await this.deps.api();
    const run = this.run && this.run.info.run_id === this.runId ? this.run : undefined;
    const params: Record<string, ParamValue> = {};
    for (const p of plan?.params ?? []) if (p.default !== undefined) params[p.name] = p.default;
    for (const p of run?.data.params ?? []) params[p.key] = p.value;
    try {
      const details = await stepDetails({
        node,
        ...(plan ? { plan } : {}),
        ...(problem ? { planProblem: problem } : {}),
        params,
        ...(this.deps.workspaceDir ? { workspaceDir: this.deps.workspaceDir } : {}),
        ...(run
          ? {
              run: {
                runId: run.info.run_id,
                ...(this.steps.find((s) => s.step_id === stepId) ? { step: this.steps.find((s) => s.step_id === stepId)! } : {}),
                metrics: run.data.metrics,
                claimed: await this.claimedKeys(run.info.run_id, plan),
              },
            }
          : {}),
        ...(api ? { api } : {}),
      });
      if (shown === this.shown) this.deps.post({ type: 'stepDetails', payload: details });
    } catch (error) {
      this.deps.log(`Pipeline graph: could not read the details of step ${stepId}: ${errorMessage(error)}`);
    }
  }

  /** The metric keys each step of the run claims, read once per run until it logs again. */
  private async claimedKeys(runId: string, plan: PipelinePlan | undefined): Promise<Map<string, Set<string>>> {
    if (this.claimed?.runId === runId) return this.claimed.keys;
    const keys = new Map<string, Set<string>>();
    for (const step of this.steps) {
      const dir = step.log_path
        ? path.dirname(step.log_path)
        : this.deps.workspaceDir
          ? path.join(this.deps.workspaceDir, '.mlops', 'runs', runId)
          : undefined;
      keys.set(step.step_id, await stepMetricKeys(plan, step, dir ? path.join(dir, `${step.step_id}.metrics.jsonl`) : undefined));
    }
    this.claimed = { runId, keys };
    return keys;
  }

  /** The file checked as the runner would, once per text. */
  private async planOf(shown: ShownPipeline): Promise<{ plan?: PipelinePlan; problem?: string }> {
    if (this.plan?.text !== shown.text) {
      try {
        this.plan = { text: shown.text, plan: await loadPipeline(shown.file, shown.text) };
      } catch (error) {
        this.plan = { text: shown.text, problem: `inputs are shown as written: ${errorMessage(error).split('\n')[0]}` };
      }
    }
    return { ...(this.plan.plan ? { plan: this.plan.plan } : {}), ...(this.plan.problem ? { problem: this.plan.problem } : {}) };
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.stateTimer);
    clearTimeout(this.runsTimer);
  }
}

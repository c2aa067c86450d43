import type { PipelineGraph } from '../pipeline/graph';

/** What a node shows of one run: the runner's step status, with `cached` for a reused execution. */
export type NodeState = 'pending' | 'running' | 'succeeded' | 'cached' | 'failed' | 'skipped' | 'cancelled';

/** One step of the run shown, as the node draws it. */
export interface NodeRun {
  readonly state: NodeState;
  /** Epoch ms: elapsed time is end (or now, while running) minus start. */
  readonly startTime?: number;
  readonly endTime?: number;
  /** The attempt running or last run, when the step may retry (`retries` > 0) or did retry. */
  readonly attempt?: number;
  readonly maxAttempts?: number;
  /** A cached step: the run whose execution it reused. */
  readonly cachedFrom?: { readonly runId: string; readonly runName?: string };
  /** Why it failed or was skipped. */
  readonly message?: string;
  readonly exitCode?: number;
  /** A log can be opened: this run's, or for a cached step the log of the run it came from. */
  readonly hasLog: boolean;
}

/** One entry of the run picker. */
export interface RunChoice {
  readonly runId: string;
  readonly name: string;
  readonly status: string;
  readonly startTime?: number;
}

/** The run drawn on the graph. */
export interface GraphRunState {
  readonly run: RunChoice & { readonly endTime?: number };
  /** By step id; a step of the file that is not in the run (a one-step run, a step added since) is absent. */
  readonly steps: Readonly<Record<string, NodeRun>>;
  /** `from`/`to` of every edge below a failed step: drawn muted. */
  readonly mutedEdges: readonly { readonly from: string; readonly to: string }[];
  /** The host's clock when it sent this (the page may run elsewhere, code-server): elapsed times tick from it. */
  readonly now: number;
}

/** A file a step reads or writes, as the tooltip lists it. */
export interface StepFile {
  /** The output's name; absent for inputs. */
  readonly name?: string;
  /** Resolved, relative to the workspace where it is inside it. */
  readonly path: string;
  /** `file` and `folder` have a size (a folder: the files below it); `glob` and `missing` none. */
  readonly kind: 'file' | 'folder' | 'glob' | 'missing';
  readonly size?: number;
}

/** What a node's tooltip shows; asked for when the pointer (or focus) rests on the node. */
export interface StepDetails {
  readonly stepId: string;
  readonly description?: string;
  readonly image?: string;
  readonly inputs: readonly StepFile[];
  readonly outputs: readonly StepFile[];
  readonly cacheKey?: string;
  /** Latest values of the metrics this step logged (its `MLOPS_METRICS_FILE`, its `metrics` outputs, its nested run on a team server). */
  readonly metrics: readonly { readonly key: string; readonly value: number }[];
  /** The run's metrics that no step's own can account for (logged with `mlflow` inside a step): shown apart. */
  readonly runMetrics: readonly { readonly key: string; readonly value: number }[];
  /** Why inputs could not be resolved (the file has errors), if so. */
  readonly problem?: string;
}

/**
 * Messages of the pipeline graph panel. The page sends `initialized` once it
 * listens; only then does the host send the graph.
 */
export type GraphHostMessage =
  /** Host -> page: the graph of the pipeline file shown, after every edit (debounced). */
  | { type: 'graph'; payload: { file: string; graph: PipelineGraph } }
  /** Host -> page: the file could not be read as a pipeline. */
  | { type: 'problem'; payload: { file: string; message: string } }
  /** Host -> page: the runs of this pipeline, newest first, and the picker's choice (`latest` follows new runs). */
  | { type: 'runs'; payload: { runs: readonly RunChoice[]; selected: string; trackingOff?: string } }
  /** Host -> page: the state of the run shown; `null` when there is none. */
  | { type: 'runState'; payload: GraphRunState | null }
  /** Host -> page: the answer to `stepDetails`. */
  | { type: 'stepDetails'; payload: StepDetails };

export type GraphViewMessage =
  /** Page -> host: the page is ready for data. */
  | { type: 'initialized' }
  /** Page -> host: reveal the step's key in the editor. */
  | { type: 'revealStep'; payload: { stepId: string } }
  /** Page -> host: open the step's log in the run shown. */
  | { type: 'openLog'; payload: { stepId: string } }
  /** Page -> host: run this step alone (`mlops.runStep`). */
  | { type: 'runStep'; payload: { stepId: string } }
  /** Page -> host: show this run (`latest`: always the newest). */
  | { type: 'selectRun'; payload: { runId: string } }
  /** Page -> host: the tooltip of this step wants its details. */
  | { type: 'stepDetails'; payload: { stepId: string } };

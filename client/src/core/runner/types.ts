import type { TrackingApi } from '../tracking/repository';
import type { ArtifactTransfer } from '../tracking/remote/artifacts';
import type { TrackingAuth } from '../tracking/rest/request';
import type { PipelinePlan } from './plan';

/** A param value after its type was applied. */
export type ParamValue = string | number | boolean;

/** The tracking endpoint a run logs into, and hands to its steps as MLFLOW_TRACKING_URI and credentials. */
export interface RunnerTracking {
  readonly api: TrackingApi;
  readonly url: string;
  /** The steps' MLFLOW_TRACKING_TOKEN (the workspace endpoint's token, or a team server's). */
  readonly token?: string;
  /** A team server's credentials when they are not a token: MLFLOW_TRACKING_USERNAME / _PASSWORD for the steps. */
  readonly auth?: TrackingAuth;
  /**
   * Set when the store is a team's MLflow server (remote/remoteStore.ts): artifacts are staged under
   * `.mlops/runs/<run>/artifacts` and uploaded through it, and each step logs into its nested run.
   */
  readonly remote?: { readonly artifacts: ArtifactTransfer };
}

export interface RunRequest {
  /** Absolute path of the `*.pipeline.yaml`. */
  readonly pipelineFile: string;
  /** The folder holding `.mlops/` (logs go to `.mlops/runs/<run>/`). */
  readonly workspaceDir: string;
  /** Overrides of param defaults; strings are parsed by the param's type (`--param k=v`). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Run only these steps, plus the steps they need whose outputs are missing. */
  readonly steps?: readonly string[];
  readonly noCache?: boolean;
  /** Steps running at once; default: the number of CPUs. */
  readonly maxParallel?: number;
  readonly tracking: RunnerTracking;
  /** The environment the steps inherit; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Aborting cancels the run: every running step's process group is killed. */
  readonly signal?: AbortSignal;
  /** The pipeline's text when it differs from the file on disk (an unsaved editor). */
  readonly text?: string;
  /** The pipeline as `loadPipeline` already read and checked it (the editor does, to ask for params): it is not read again. */
  readonly plan?: PipelinePlan;
}

export type StepStatus = 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
export type RunStatus = 'FINISHED' | 'FAILED' | 'KILLED';

export interface StepSummary {
  readonly step: string;
  readonly status: StepStatus;
  readonly durationMs: number;
  /** The run whose execution was reused, when the step was cached. */
  readonly cachedFrom?: string;
  readonly exitCode?: number;
  readonly attempts: number;
  /** Why it failed or was skipped. */
  readonly message?: string;
  readonly logPath?: string;
}

export interface RegisteredVersion {
  readonly model: string;
  readonly version: string;
  readonly stage?: string;
  readonly alias?: string;
  readonly source: string;
}

export interface RunResult {
  readonly runId: string;
  readonly runName: string;
  readonly experimentId: string;
  readonly status: RunStatus;
  readonly durationMs: number;
  readonly steps: readonly StepSummary[];
  /** Latest value of every metric the run logged. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly registered?: RegisteredVersion;
  /** Why nothing was registered although the pipeline has a `register` block. */
  readonly registerSkipped?: string;
}

/** What a run reports while it goes; the terminal, the status bar and the CLI render these. */
export type RunEvent =
  | {
      readonly type: 'run-started';
      readonly runId: string;
      readonly runName: string;
      readonly experimentId: string;
      readonly experimentName: string;
      readonly pipeline: string;
      readonly pipelineFile: string;
      /** The steps this run will go through, in a topological order. */
      readonly steps: readonly string[];
      readonly params: Readonly<Record<string, ParamValue>>;
      readonly runDir: string;
    }
  | {
      readonly type: 'step-started';
      readonly step: string;
      readonly attempt: number;
      readonly maxAttempts: number;
      readonly command: string;
      readonly logPath: string;
    }
  | { readonly type: 'step-output'; readonly step: string; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'step-retry'; readonly step: string; readonly attempt: number; readonly maxAttempts: number; readonly reason: string }
  | ({ readonly type: 'step-finished' } & StepSummary)
  | { readonly type: 'metric'; readonly step?: string; readonly key: string; readonly value: number; readonly stepNumber: number }
  | { readonly type: 'warning'; readonly step?: string; readonly message: string }
  | { readonly type: 'registered'; readonly version: RegisteredVersion }
  | { readonly type: 'register-skipped'; readonly reason: string }
  | ({ readonly type: 'run-finished' } & RunResult);

export type RunListener = (event: RunEvent) => void;

/** A param as the pipeline declares it: what a prompt needs to ask for a value and check it. */
export interface ParamSpec {
  readonly name: string;
  readonly type: 'string' | 'int' | 'float' | 'bool' | 'path';
  readonly default?: ParamValue;
  readonly enum?: readonly ParamValue[];
  readonly min?: number;
  readonly max?: number;
  readonly description?: string;
}

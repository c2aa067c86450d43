import * as vscode from 'vscode';
import { Settings } from '../../../../common/src/settings';
import { formatSummary, runPipeline, type PipelinePlan, type TrackedRun } from '../../core/runner';
import type { ParamValue, RunEvent, RunResult } from '../../core/runner/types';
import { setting } from '../config';
import type { RunPlace } from './runGate';
import { RunProgress } from './runProgress';
import { RunRenderer } from './runRenderer';
import { RunTerminal } from './runTerminal';

/** What to run. */
export interface RunSpec {
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /** The pipeline's name (its `pipeline:` key). */
  readonly pipeline: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly steps?: readonly string[];
  /** Every step runs, none from the cache (Reproduce Run). */
  readonly noCache?: boolean;
  /** The pipeline as loaded and checked before the run (from the editor's text when it could not be saved). */
  readonly plan?: PipelinePlan;
}

/**
 * One run in this window: the engine's events go to its Pseudoterminal and
 * its progress; aborting its signal kills the steps' process groups.
 */
export class ActiveRun implements TrackedRun {
  /** How the run ended, once it has. */
  result: RunResult | undefined;
  readonly progress: RunProgress;
  readonly pty: RunTerminal;
  /** The terminal showing it, when this window made one (a task's terminal is VS Code's). */
  terminal: vscode.Terminal | undefined;
  private readonly abort = new AbortController();
  private readonly renderer: RunRenderer;
  private going = false;
  /** The loaded pipeline: from the spec, or set by a task once its terminal opened. */
  plan: PipelinePlan | undefined;

  constructor(
    readonly spec: RunSpec,
    /** Task runs: the terminal closes with the run's exit code. */
    readonly taskName: string | undefined,
    private readonly onChange: () => void,
    onOpen?: () => void,
  ) {
    this.progress = new RunProgress(spec.pipeline);
    this.plan = spec.plan;
    this.renderer = new RunRenderer({ color: true, metrics: setting(Settings.runShowMetrics), formatSummary });
    this.pty = new RunTerminal(
      { cancel: (reason) => this.cancel(reason), isRunning: () => this.going, ...(onOpen ? { onOpen } : {}) },
      taskName !== undefined,
    );
  }

  get isRunning(): boolean {
    return this.going;
  }

  get file(): string {
    return this.spec.file;
  }

  get runId(): string | undefined {
    return this.progress.runId;
  }

  cancel(reason: string): void {
    if (!this.going || this.abort.signal.aborted) return;
    this.pty.write(`\r\n\x1b[33mCancelling the run (${reason})...\x1b[0m\r\n`);
    this.abort.abort(new Error(`cancelled: ${reason}`));
  }

  /** Runs it; `onStarted` is called when the engine created the tracked run (its name is known). Throws what runPipeline throws. */
  async execute(place: RunPlace, onStarted: (run: ActiveRun) => void): Promise<RunResult> {
    this.going = true;
    const maxParallel = setting(Settings.runMaxParallelSteps);
    const listener = (event: RunEvent) => {
      this.progress.update(event);
      this.pty.write(this.renderer.render(event));
      if (event.type === 'run-started') {
        this.pty.rename(this.progress.terminalName());
        onStarted(this);
      }
      if (event.type !== 'step-output' && event.type !== 'metric') this.onChange();
    };
    try {
      return await runPipeline(
        {
          pipelineFile: this.spec.file,
          workspaceDir: place.workspaceDir,
          tracking: place.tracking.runner ?? { api: place.tracking.api, url: place.tracking.url, token: place.tracking.token },
          signal: this.abort.signal,
          ...(this.spec.params ? { params: this.spec.params } : {}),
          ...(this.spec.steps ? { steps: this.spec.steps } : {}),
          ...(this.spec.noCache ? { noCache: true } : {}),
          ...(this.plan ? { plan: this.plan } : {}),
          ...(maxParallel > 0 ? { maxParallel: Math.floor(maxParallel) } : {}),
        },
        listener,
      );
    } finally {
      this.going = false;
    }
  }

  /** Shows its terminal; false when it is gone. */
  reveal(): boolean {
    const terminal =
      this.terminal && vscode.window.terminals.includes(this.terminal)
        ? this.terminal
        : this.taskName !== undefined
          ? vscode.window.terminals.find((t) => t.name.includes(this.taskName!))
          : undefined;
    terminal?.show(false);
    return terminal !== undefined;
  }
}

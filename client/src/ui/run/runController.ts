import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadPipeline, PipelineInvalidError, type PipelinePlan } from '../../core/runner';
import type { ParamValue, RunResult } from '../../core/runner/types';
import { Commands } from '../commandIds';
import type { TrackingConnection } from '../tracking';
import { ActiveRun, type RunSpec } from './activeRun';
import { askParams } from './paramPrompts';
import { placeForTask, placeToRun } from './runGate';
import { endMessage } from './runProgress';
import { RunStatusBar } from './runStatusBar';

const RECENT_RUNS = 20;

export interface CommandRunOptions {
  /** Ask for every param first (mlops.runPipelineWithParams). */
  readonly askParams?: boolean;
  /** Run these steps and what they need (mlops.runStep). */
  readonly steps?: readonly string[];
  /** Param overrides given by the caller (a monitor's `on_drift.params`), checked by the engine. */
  readonly params?: Readonly<Record<string, ParamValue>>;
}

/**
 * The runs of this window: starts them from commands and tasks, shows each
 * in its own terminal, keeps the status bar current, cancels them and tells
 * how they ended.
 */
export class RunController implements vscode.Disposable {
  private readonly active = new Set<ActiveRun>();
  /** Each active run's end (its execute), for a clean shutdown. */
  private readonly settled = new Map<ActiveRun, Promise<void>>();
  /** Ended runs by run id, newest last, for "Show run". */
  private readonly recent = new Map<string, ActiveRun>();
  private readonly status = new RunStatusBar();

  constructor(
    private readonly tracking: TrackingConnection,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** mlops.runPipeline, mlops.runPipelineWithParams and mlops.runStep. */
  async runFromCommand(uri: vscode.Uri, options: CommandRunOptions = {}): Promise<void> {
    if (uri.scheme !== 'file') {
      void vscode.window.showWarningMessage(`MLOps: only pipeline files on disk can run (${uri.toString()}).`);
      return;
    }
    const place = await placeToRun(this.tracking, this.output);
    if (!place) return;
    const text = await savedOrText(uri);
    const plan = await this.load(uri.fsPath, text);
    if (!plan) return;
    const unknown = options.steps?.filter((s) => !plan.steps.includes(s)) ?? [];
    if (unknown.length) {
      void vscode.window.showErrorMessage(`MLOps: ${plan.name} has no step ${unknown.join(', ')}.`);
      return;
    }
    let params: Readonly<Record<string, ParamValue>> | undefined = options.params;
    if (options.askParams && plan.params.length > 0) {
      params = await askParams(plan.params);
      if (!params) return; // Esc
    }
    if (this.alreadyRunning(plan.file)) return;

    const run = new ActiveRun(
      { file: plan.file, pipeline: plan.name, plan, ...(params ? { params } : {}), ...(options.steps ? { steps: options.steps } : {}) },
      undefined,
      () => this.changed(),
    );
    await this.execute(run, place, (started) => {
      started.terminal = vscode.window.createTerminal({
        name: started.progress.terminalName(),
        pty: started.pty,
        iconPath: new vscode.ThemeIcon('run-all'),
        isTransient: true,
      });
      started.terminal.show(true);
    });
  }

  /** A task's CustomExecution: the run starts when VS Code opens the returned terminal. */
  runForTask(taskName: string, file: string, params: Readonly<Record<string, ParamValue>> | undefined): vscode.Pseudoterminal {
    const spec: RunSpec = { file, pipeline: path.basename(file).replace(/\.pipeline\.ya?ml$/, ''), ...(params ? { params } : {}) };
    const start = async () => {
      const fail = (message: string) => {
        run.pty.write(`\x1b[31m${message.replace(/\r?\n/g, '\r\n')}\x1b[0m\r\n`);
        run.pty.end(1);
      };
      const place = await placeForTask(this.tracking);
      if (typeof place === 'string') return fail(place);
      try {
        run.plan = await loadPipeline(file);
        run.progress.pipeline = run.plan.name;
      } catch (error) {
        return fail(errorText(error));
      }
      await this.execute(run!, place, () => undefined, fail);
    };
    // `start` runs only once VS Code opens the terminal, after `run` exists.
    const run: ActiveRun = new ActiveRun(
      spec,
      taskName,
      () => this.changed(),
      () => void start(),
    );
    return run.pty;
  }

  private async load(file: string, text: string | undefined): Promise<PipelinePlan | undefined> {
    try {
      return await loadPipeline(file, text);
    } catch (error) {
      const invalid = error instanceof PipelineInvalidError;
      const show = invalid ? 'Show Problems' : 'Show Output';
      this.output.error(errorText(error));
      const text = invalid
        ? `MLOps: ${errorText(error).split('\n')[0]!.replace(/:$/, '')}: ${error.problems
            .map((p) => p.replace(`${error.file}:`, 'line '))
            .slice(0, 3)
            .join('; ')}`
        : `MLOps: ${errorText(error).split('\n')[0]}`;
      void vscode.window.showErrorMessage(text, show).then((choice) => {
        if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        else if (choice) this.output.show(true);
      });
      return undefined;
    }
  }

  private alreadyRunning(file: string): boolean {
    const running = [...this.active].find((r) => r.spec.file === file);
    if (!running) return false;
    void vscode.window
      .showWarningMessage(
        `MLOps: ${running.progress.terminalName().replace(/^MLOps: /, '')} is still running; its steps write the same outputs.`,
        'Show Terminal',
        'Cancel Run',
      )
      .then((choice) => {
        if (choice === 'Show Terminal') running.reveal();
        else if (choice === 'Cancel Run') running.cancel('cancelled from the notification');
      });
    return true;
  }

  /** Runs it to the end: terminal, status bar, notification. `fail` reports an error that came before the run existed. */
  private execute(
    run: ActiveRun,
    place: Parameters<ActiveRun['execute']>[0],
    onStarted: (run: ActiveRun) => void,
    fail?: (message: string) => void,
  ): Promise<void> {
    const done = this.executeToEnd(run, place, onStarted, fail).finally(() => this.settled.delete(run));
    this.settled.set(run, done);
    return done;
  }

  private async executeToEnd(
    run: ActiveRun,
    place: Parameters<ActiveRun['execute']>[0],
    onStarted: (run: ActiveRun) => void,
    fail?: (message: string) => void,
  ): Promise<void> {
    this.active.add(run);
    this.changed();
    let result: RunResult | undefined;
    try {
      result = await run.execute(place, onStarted);
    } catch (error) {
      const message = errorText(error);
      this.output.error(`Pipeline ${run.progress.pipeline}: ${message}`);
      if (run.progress.runId === undefined) {
        // Nothing ran (a bad param, the store refused the run): no terminal for it.
        if (fail) fail(message);
        else void vscode.window.showErrorMessage(`MLOps: ${run.progress.pipeline} did not run: ${message}`);
      } else {
        run.pty.write(`\r\n\x1b[31mThe run stopped: ${message.replace(/\r?\n/g, '\r\n')}\x1b[0m\r\n`);
        run.pty.end(1);
        void vscode.window
          .showErrorMessage(`MLOps: ${run.progress.terminalName().replace(/^MLOps: /, '')} stopped: ${message}`, 'Show Run')
          .then((c) => c && run.reveal());
      }
    } finally {
      this.active.delete(run);
      this.changed();
    }
    if (!result) return;
    if (run.progress.runId) this.remember(run.progress.runId, run);
    run.pty.end(result.status === 'FINISHED' ? 0 : 1);
    this.output.info(`Pipeline ${run.progress.pipeline} run ${result.runName} (${result.runId}) ended ${result.status}`);
    this.notify(run, result);
  }

  private notify(run: ActiveRun, result: RunResult): void {
    const { severity, text } = endMessage(run.progress.pipeline, result, run.progress.failed);
    const logPath = run.progress.failed?.logPath ?? result.steps.find((s) => s.status === 'FAILED')?.logPath;
    const actions = ['Show Run', ...(severity === 'error' && logPath ? ['Show Log'] : [])];
    const show =
      severity === 'info'
        ? vscode.window.showInformationMessage
        : severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showErrorMessage;
    void show(text, ...actions).then((choice) => {
      if (choice === 'Show Run') void vscode.commands.executeCommand(Commands.showRun, result.runId);
      else if (choice === 'Show Log' && logPath) void vscode.window.showTextDocument(vscode.Uri.file(logPath), { preview: true });
    });
  }

  private remember(runId: string, run: ActiveRun): void {
    this.recent.delete(runId);
    this.recent.set(runId, run);
    while (this.recent.size > RECENT_RUNS) this.recent.delete(this.recent.keys().next().value!);
  }

  private changed(): void {
    this.status.update([...this.active].map((r) => r.progress));
  }

  /** mlops.cancelRun: the only run, or the one picked. */
  async cancel(): Promise<void> {
    const run = await this.pickRun('Cancel which run?');
    run?.cancel('cancelled from the command palette');
  }

  /** The status bar item's click: show the terminal or cancel. */
  async showActions(): Promise<void> {
    const items = [...this.active].flatMap((run) => {
      const name = run.progress.terminalName().replace(/^MLOps: /, '');
      const detail = this.active.size > 1 ? name : undefined;
      return [
        {
          label: '$(terminal) Show terminal',
          description: run.progress.statusText(),
          ...(detail ? { detail } : {}),
          run,
          action: 'show' as const,
        },
        { label: '$(debug-stop) Cancel run', description: name, ...(detail ? { detail } : {}), run, action: 'cancel' as const },
      ];
    });
    if (items.length === 0) {
      void vscode.window.showInformationMessage('MLOps: no pipeline run is going.');
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Pipeline run' });
    if (picked?.action === 'show') picked.run.reveal();
    else if (picked?.action === 'cancel') picked.run.cancel('cancelled from the status bar');
  }

  /** mlops.showRun: the run's terminal (the Experiments tree comes later). */
  showRun(runId?: string): void {
    const run = runId
      ? ([...this.active].find((r) => r.progress.runId === runId) ?? this.recent.get(runId))
      : [...this.recent.values()].pop();
    if (run?.reveal()) return;
    const id = runId ?? run?.progress.runId;
    void vscode.window.showInformationMessage(
      id
        ? `MLOps: the terminal of run ${id} is closed. \`mlops runs show ${id}\` prints its params, metrics and steps.`
        : 'MLOps: no pipeline run in this window yet.',
    );
  }

  private async pickRun(placeHolder: string): Promise<ActiveRun | undefined> {
    const runs = [...this.active];
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('MLOps: no pipeline run is going.');
      return undefined;
    }
    if (runs.length === 1) return runs[0];
    const picked = await vscode.window.showQuickPick(
      runs.map((run) => ({ label: run.progress.terminalName().replace(/^MLOps: /, ''), description: run.progress.statusText(), run })),
      { placeHolder },
    );
    return picked?.run;
  }

  /**
   * Cancels every run and waits (at most `timeoutMs`) until each has recorded
   * its end, so that the runs end KILLED before the tracking store closes.
   */
  async stopAll(timeoutMs = 5000): Promise<void> {
    for (const run of this.active) run.cancel('the window is closing');
    if (this.settled.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.settled.values()]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  dispose(): void {
    for (const run of this.active) run.cancel('the window is closing');
    this.status.dispose();
  }
}

/** Saves a dirty editor of the file; its text when it could not be saved (the run then reads that). */
async function savedOrText(uri: vscode.Uri): Promise<string | undefined> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc?.isDirty) return undefined;
  const saved = await doc.save();
  return saved && !doc.isDirty ? undefined : doc.getText();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

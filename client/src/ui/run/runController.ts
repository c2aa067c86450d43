import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../../../common/src/errors';
import { Commands } from '../../../../common/src/ids/commands';
import { ActiveRuns, loadPipeline, PipelineInvalidError, type PipelinePlan } from '../../core/runner';
import type { ParamValue, RunResult } from '../../core/runner/types';
import { notify } from '../notify';
import type { TrackingConnection } from '../tracking';
import { ActiveRun, type RunSpec } from './activeRun';
import { askParams } from './paramPrompts';
import { placeForTask, placeToRun } from './runGate';
import { endMessage } from './runProgress';
import { RunStatusBar } from './runStatusBar';

export interface CommandRunOptions {
  /** Ask for every param first (mlops.runPipelineWithParams). */
  readonly askParams?: boolean;
  /** Run these steps and what they need (mlops.runStep). */
  readonly steps?: readonly string[];
  /** Param overrides given by the caller (a monitor's `on_drift.params`), checked by the engine. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Every step runs, none from the cache (Reproduce Run). */
  readonly noCache?: boolean;
  /** Told how the run ended, after the end notification (Reproduce Run compares the two). */
  readonly onEnded?: (result: RunResult) => void;
}

/**
 * The runs of this window: starts them from commands and tasks, shows each
 * in its own terminal, keeps the status bar current, cancels them and tells
 * how they ended.
 */
export class RunController implements vscode.Disposable {
  /** The runs going and the recent ones (for "Show run"). */
  private readonly runs = new ActiveRuns<ActiveRun>();
  private readonly status = new RunStatusBar();

  constructor(
    private readonly tracking: TrackingConnection,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** mlops.runPipeline, mlops.runPipelineWithParams and mlops.runStep. */
  async runFromCommand(uri: vscode.Uri, options: CommandRunOptions = {}): Promise<void> {
    if (uri.scheme !== 'file') {
      void notify.warn(`only pipeline files on disk can run (${uri.toString()}).`);
      return;
    }
    const place = await placeToRun(this.tracking, this.output);
    if (!place) return;
    const text = await savedOrText(uri);
    const plan = await this.load(uri.fsPath, text);
    if (!plan) return;
    const unknown = options.steps?.filter((s) => !plan.steps.includes(s)) ?? [];
    if (unknown.length) {
      void notify.error(`${plan.name} has no step ${unknown.join(', ')}.`);
      return;
    }
    let params: Readonly<Record<string, ParamValue>> | undefined = options.params;
    if (options.askParams && plan.params.length > 0) {
      params = await askParams(plan.params);
      if (!params) return; // Esc
    }
    if (this.alreadyRunning(plan.file)) return;

    const run = new ActiveRun(
      {
        file: plan.file,
        pipeline: plan.name,
        plan,
        ...(params ? { params } : {}),
        ...(options.steps ? { steps: options.steps } : {}),
        ...(options.noCache ? { noCache: true } : {}),
      },
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
    if (run.result) options.onEnded?.(run.result);
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
        return fail(errorMessage(error));
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
      this.output.error(errorMessage(error));
      if (error instanceof PipelineInvalidError) {
        void notify
          .error(error.summary(), { actions: ['Show Problems'] })
          .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
      } else {
        void notify
          .error(errorMessage(error).split('\n')[0]!, { actions: ['Show Output'] })
          .then((choice) => choice && this.output.show(true));
      }
      return undefined;
    }
  }

  private alreadyRunning(file: string): boolean {
    const running = this.runs.runningFile(file);
    if (!running) return false;
    void notify
      .warn(`${running.progress.label()} is still running; its steps write the same outputs.`, { actions: ['Show Terminal', 'Cancel Run'] })
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
    return this.runs.settle(run, this.executeToEnd(run, place, onStarted, fail));
  }

  private async executeToEnd(
    run: ActiveRun,
    place: Parameters<ActiveRun['execute']>[0],
    onStarted: (run: ActiveRun) => void,
    fail?: (message: string) => void,
  ): Promise<void> {
    this.runs.begin(run);
    this.changed();
    let result: RunResult | undefined;
    try {
      result = await run.execute(place, onStarted);
    } catch (error) {
      const message = errorMessage(error);
      this.output.error(`Pipeline ${run.progress.pipeline}: ${message}`);
      if (run.progress.runId === undefined) {
        // Nothing ran (a bad param, the store refused the run): no terminal for it.
        if (fail) fail(message);
        else void notify.error(`${run.progress.pipeline} did not run: ${message}`);
      } else {
        run.pty.write(`\r\n\x1b[31mThe run stopped: ${message.replace(/\r?\n/g, '\r\n')}\x1b[0m\r\n`);
        run.pty.end(1);
        void notify.error(`${run.progress.label()} stopped: ${message}`, { actions: ['Show Run'] }).then((c) => c && run.reveal());
      }
    } finally {
      this.runs.end(run);
      this.changed();
    }
    if (!result) return;
    run.result = result;
    this.runs.remember(run);
    run.pty.end(result.status === 'FINISHED' ? 0 : 1);
    this.output.info(`Pipeline ${run.progress.pipeline} run ${result.runName} (${result.runId}) ended ${result.status}`);
    this.tellEnd(run, result);
  }

  /** The notification at the end of a run, with Show Run (and Show Log when a step failed). */
  private tellEnd(run: ActiveRun, result: RunResult): void {
    const { severity, text } = endMessage(run.progress.pipeline, result, run.progress.failed);
    const logPath = run.progress.failed?.logPath ?? result.steps.find((s) => s.status === 'FAILED')?.logPath;
    const actions = severity === 'error' && logPath ? (['Show Run', 'Show Log'] as const) : (['Show Run'] as const);
    void notify.show(severity, text, { actions }).then((choice) => {
      if (choice === 'Show Run') void vscode.commands.executeCommand(Commands.showRun, result.runId);
      else if (choice === 'Show Log' && logPath) void vscode.window.showTextDocument(vscode.Uri.file(logPath), { preview: true });
    });
  }

  private changed(): void {
    this.status.update(this.runs.running.map((r) => r.progress));
  }

  /** mlops.cancelRun: the only run, or the one picked. */
  async cancel(): Promise<void> {
    const run = await this.pickRun('Cancel which run?');
    run?.cancel('cancelled from the command palette');
  }

  /** The status bar item's click: show the terminal or cancel. */
  async showActions(): Promise<void> {
    const running = this.runs.running;
    const items = running.flatMap((run) => {
      const name = run.progress.label();
      const detail = running.length > 1 ? name : undefined;
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
      void notify.info('no pipeline run is going.');
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Pipeline run' });
    if (picked?.action === 'show') picked.run.reveal();
    else if (picked?.action === 'cancel') picked.run.cancel('cancelled from the status bar');
  }

  /** mlops.showRun: the run's terminal (the Experiments tree comes later). */
  showRun(runId?: string): void {
    const run = this.runs.find(runId);
    if (run?.reveal()) return;
    const id = runId ?? run?.runId;
    void notify.info(
      id
        ? `the terminal of run ${id} is closed. \`mlops runs show ${id}\` prints its params, metrics and steps.`
        : 'no pipeline run in this window yet.',
    );
  }

  private async pickRun(placeHolder: string): Promise<ActiveRun | undefined> {
    const choice = this.runs.choice();
    switch (choice.kind) {
      case 'none':
        void notify.info('no pipeline run is going.');
        return undefined;
      case 'one':
        return choice.run;
      case 'pick': {
        const picked = await vscode.window.showQuickPick(
          choice.runs.map((run) => ({ label: run.progress.label(), description: run.progress.statusText(), run })),
          { placeHolder },
        );
        return picked?.run;
      }
    }
  }

  /**
   * Cancels every run and waits (at most `timeoutMs`) until each has recorded
   * its end, so that the runs end KILLED before the tracking store closes.
   */
  stopAll(timeoutMs = 5000): Promise<void> {
    return this.runs.stopAll('the window is closing', timeoutMs);
  }

  dispose(): void {
    this.runs.cancelAll('the window is closing');
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

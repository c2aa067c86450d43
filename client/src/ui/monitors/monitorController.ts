import * as vscode from 'vscode';
import { errorMessage } from '../../../../common/src/errors';
import type { MonitorCheckResult, MonitorHistoryEntry } from '../../../../common/src/monitor/result';
import { Settings } from '../../../../common/src/settings';
import {
  checkMonitor,
  dataDriftInWorker,
  describeParams,
  driftNotice,
  loadMonitor,
  monitorHistory,
  MonitorInvalidError,
  type CheckTrigger,
} from '../../core/monitor';
import { problemsInBrief } from '../../core/runner';
import { setting } from '../config';
import { notify } from '../notify';
import type { RunController } from '../run/runController';
import type { TrackingConnection } from '../tracking';
import type { DriftReportPanels, DriftReportSource } from './driftReportPanel';
import { monitorInfo } from './monitorFiles';
import type { MonitorsTreeProvider } from './monitorsTree';

const UNTRUSTED_DRIFT_MESSAGE =
  'drift checks do not run in Restricted Mode. A check reads the data files the monitor names and can start its retraining pipeline, which runs shell commands. Trust the folder (Manage Workspace Trust) to check it.';
const HISTORY_IN_REPORT = 50;

/**
 * Drift checks in the editor: from the code lens, the palette, the Monitors
 * view and the scheduler; with progress, the result recorded in the store,
 * a notification on drift, and retraining through the pipeline runner.
 */
export class MonitorController implements DriftReportSource, vscode.Disposable {
  /** The check going on per monitor file: a second request joins it. */
  private readonly running = new Map<string, Promise<MonitorCheckResult | undefined>>();
  /** The last result per monitor file, for the report when the store is not open. */
  private readonly last = new Map<string, MonitorCheckResult>();
  reports: DriftReportPanels | undefined;

  constructor(
    private readonly tracking: TrackingConnection,
    private readonly runs: RunController,
    private readonly tree: MonitorsTreeProvider,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** Checks the monitor in `uri`; never throws. */
  check(uri: vscode.Uri, trigger: CheckTrigger): Promise<MonitorCheckResult | undefined> {
    if (!vscode.workspace.isTrusted) {
      if (trigger === 'command') void notify.blocked(UNTRUSTED_DRIFT_MESSAGE);
      return Promise.resolve(undefined);
    }
    if (uri.scheme !== 'file') {
      if (trigger === 'command') void notify.warn(`only monitor files on disk can be checked (${uri.toString()}).`);
      return Promise.resolve(undefined);
    }
    const key = uri.toString();
    const going = this.running.get(key);
    if (going) return going;
    const done = this.runCheck(uri, trigger).finally(() => this.running.delete(key));
    this.running.set(key, done);
    return done;
  }

  private async runCheck(uri: vscode.Uri, trigger: CheckTrigger): Promise<MonitorCheckResult | undefined> {
    const file = vscode.workspace.asRelativePath(uri);
    this.tree.setChecking(uri, true);
    let outcome: { result: MonitorCheckResult; previous: string | undefined; notRecorded: string | undefined } | undefined;
    try {
      outcome = await notify.progress(`Checking drift: ${file}`, trigger === 'command' ? 'notification' : 'window', async () => {
        const api = await this.tracking.api();
        const { name } = await monitorInfo(uri);
        const previous = api ? (await monitorHistory(api, name, 1).catch(() => []))[0]?.status : undefined;
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        const check = await checkMonitor(uri.fsPath, {
          ...(api ? { api } : {}),
          ...(open?.isDirty ? { text: open.getText() } : {}),
          runDataDrift: dataDriftInWorker,
        });
        const notRecorded = api ? check.recordError : (this.tracking.lastError ?? 'the tracking store is not open');
        return { result: check.result, previous, notRecorded };
      });
    } catch (error) {
      this.reportFailure(uri, trigger, error);
      return undefined;
    } finally {
      this.tree.setChecking(uri, false);
    }
    const { result, previous, notRecorded } = outcome;
    this.last.set(uri.toString(), result);
    this.output.info(`Drift check of ${file} (${trigger}): ${result.status}${result.error ? ` - ${result.error}` : ''}`);
    if (notRecorded) this.output.warn(`The drift check of ${file} was not recorded in the tracking store: ${notRecorded}`);
    this.tree.refresh();
    void this.reports?.refresh(uri);
    const notice = driftNotice(result, trigger, previous, setting(Settings.monitorAutoRetrain));
    if (notice?.retrainNow) void this.startRetrain(result);
    if (notice) {
      void notify.show(notice.severity, notice.text, { actions: notice.actions }).then((choice) => {
        if (choice === 'Show Report') void this.reports?.show(uri, result.time);
        else if (choice === 'Retrain') void this.retrainResult(result, true);
      });
    }
    return result;
  }

  private reportFailure(uri: vscode.Uri, trigger: CheckTrigger, error: unknown): void {
    const invalid = error instanceof MonitorInvalidError;
    const message = invalid
      ? `${vscode.workspace.asRelativePath(uri)} has errors, so it was not checked: ${problemsInBrief(error.file, error.problems)}`
      : errorMessage(error);
    this.output.error(`Drift check of ${vscode.workspace.asRelativePath(uri)}: ${invalid ? error.message : message}`);
    if (trigger !== 'command') return;
    void notify.error(message, { actions: [invalid ? 'Show Problems' : 'Show Output'] }).then((choice) => {
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      else if (choice) this.output.show(true);
    });
  }

  /** DriftReportSource: the check of `time` (else the newest) and the history, from the store or this window's last check. */
  async load(uri: vscode.Uri, time?: number): Promise<{ result: MonitorCheckResult; history: readonly MonitorHistoryEntry[] } | undefined> {
    const api = vscode.workspace.isTrusted ? await this.tracking.api() : undefined;
    const { name } = await monitorInfo(uri);
    const history = api ? await monitorHistory(api, name, HISTORY_IN_REPORT).catch(() => []) : [];
    const remembered = this.last.get(uri.toString());
    const stored = (time !== undefined ? history.find((h) => h.time === time) : history[0])?.result;
    const result = stored ?? (remembered && (time === undefined || remembered.time === time) ? remembered : undefined);
    if (!result) return undefined;
    return { result, history: history.length ? history : [{ time: result.time, status: result.status, result }] };
  }

  /** The report's "Check again". */
  async recheck(uri: vscode.Uri): Promise<void> {
    await this.check(uri, 'command');
  }

  /** The report's and the view's "Retrain": the monitor's `on_drift.run_pipeline` with its params, after a confirmation. */
  async retrain(uri: vscode.Uri): Promise<void> {
    if (!vscode.workspace.isTrusted)
      return notify.blocked(
        'retraining does not run in Restricted Mode: it runs the shell commands of a pipeline. Trust the folder (Manage Workspace Trust) to run it.',
      );
    const remembered = this.last.get(uri.toString());
    if (remembered) return this.retrainResult(remembered, true);
    try {
      const config = await loadMonitor(uri.fsPath);
      const pipeline = config.onDrift.runPipeline ? vscode.Uri.joinPath(uri, '..', config.onDrift.runPipeline).fsPath : undefined;
      await this.retrainWith(config.name, pipeline, config.onDrift.params, true);
    } catch (error) {
      void notify.error(errorMessage(error).split('\n')[0]!);
    }
  }

  private retrainResult(result: MonitorCheckResult, confirm: boolean): Promise<void> {
    return this.retrainWith(result.monitor, result.onDrift?.pipeline, result.onDrift?.params ?? {}, confirm);
  }

  private async startRetrain(result: MonitorCheckResult): Promise<void> {
    await this.retrainWith(result.monitor, result.onDrift?.pipeline, result.onDrift?.params ?? {}, false);
  }

  private async retrainWith(
    monitor: string,
    pipeline: string | undefined,
    params: Readonly<Record<string, string | number | boolean>>,
    confirm: boolean,
  ): Promise<void> {
    if (!pipeline) {
      void notify.info(`${monitor} names no retraining pipeline. Add \`on_drift.run_pipeline\` (and its \`params\`) to the monitor file.`);
      return;
    }
    const uri = vscode.Uri.file(pipeline);
    if (confirm) {
      const choice = await notify.warn(`Retrain: run ${vscode.workspace.asRelativePath(uri)}${describeParams(params)}?`, {
        plain: true,
        modal: true,
        detail: `The drift monitor ${monitor} asks for this run (on_drift.run_pipeline). Set ${Settings.monitorAutoRetrain.key} to start it without asking.`,
        actions: ['Run Pipeline'],
      });
      if (choice !== 'Run Pipeline') return;
    }
    this.output.info(`Retraining from ${monitor}: ${pipeline}${describeParams(params)}`);
    await this.runs.runFromCommand(uri, { params });
  }

  dispose(): void {
    this.running.clear();
    this.last.clear();
  }
}

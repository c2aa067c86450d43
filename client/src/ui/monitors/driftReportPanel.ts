import * as vscode from 'vscode';
import { ViewTypes } from '../../../../common/src/ids/viewTypes';
import type { MonitorCheckResult, MonitorHistoryEntry } from '../../../../common/src/monitor/result';
import type { DriftReportHostMessage, DriftReportViewMessage } from '../../../../common/src/protocol/driftMessages';
import { setWebviewPage } from '../webviewPage';

export interface DriftReportSource {
  /** The check to show (the given time, else the newest) and the monitor's history; undefined when there is none. */
  load(uri: vscode.Uri, time?: number): Promise<{ result: MonitorCheckResult; history: readonly MonitorHistoryEntry[] } | undefined>;
  retrain(uri: vscode.Uri): Promise<void>;
  recheck(uri: vscode.Uri): Promise<void>;
}

interface OpenReport {
  readonly panel: vscode.WebviewPanel;
  time: number | undefined;
  ready: boolean;
  /** The monitor's name, once a check of it has been shown (store changes name monitors so). */
  monitor?: string;
}

/**
 * The drift report of a monitor, one panel per monitor file: the per-column
 * table, performance against the baseline and drift over past checks. It
 * follows new checks of its monitor unless it shows a past one.
 */
export class DriftReportPanels implements vscode.Disposable {
  private readonly open = new Map<string, OpenReport>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: DriftReportSource,
  ) {}

  /** Opens (or reveals) the report of `uri`, at the check of `time` or the newest. */
  async show(uri: vscode.Uri, time?: number): Promise<void> {
    const key = uri.toString();
    let report = this.open.get(key);
    if (report) {
      report.time = time;
      report.panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      report = { panel: this.createPanel(uri), time, ready: false };
      this.open.set(key, report);
    }
    if (report.ready) await this.update(uri, report);
  }

  /** A new check of the monitor in `uri` was recorded: panels showing the newest follow it. */
  async refresh(uri: vscode.Uri): Promise<void> {
    const report = this.open.get(uri.toString());
    if (report?.ready && report.time === undefined) await this.update(uri, report);
  }

  /**
   * Checks recorded by any writer (this window, another window, `mlops monitor`): the open reports
   * of those monitors that show the newest check load it. No names: every report.
   */
  followChecks(monitors: readonly string[]): void {
    for (const [key, report] of this.open) {
      if (monitors.length > 0 && (report.monitor === undefined || !monitors.includes(report.monitor))) continue;
      void this.refresh(vscode.Uri.parse(key));
    }
  }

  isOpen(uri: vscode.Uri): boolean {
    return this.open.has(uri.toString());
  }

  private createPanel(uri: vscode.Uri): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(ViewTypes.driftReport, `Drift: ${vscode.workspace.asRelativePath(uri)}`, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    setWebviewPage(panel, this.extensionUri, { bundle: 'drift', stylesheet: 'drift.css', title: 'Drift Report' });
    panel.webview.onDidReceiveMessage((message: DriftReportViewMessage) => this.onMessage(uri, message));
    panel.onDidDispose(() => this.open.delete(uri.toString()));
    return panel;
  }

  private onMessage(uri: vscode.Uri, message: DriftReportViewMessage): void {
    const report = this.open.get(uri.toString());
    switch (message.type) {
      case 'initialized':
        if (report) {
          report.ready = true;
          void this.update(uri, report);
        }
        break;
      case 'retrain':
        void this.source.retrain(uri);
        break;
      case 'recheck':
        if (report) report.time = undefined;
        void this.source.recheck(uri);
        break;
    }
  }

  private async update(uri: vscode.Uri, report: OpenReport): Promise<void> {
    const loaded = await this.source.load(uri, report.time).catch(() => undefined);
    if (!loaded) return;
    report.monitor = loaded.result.monitor;
    report.panel.title = `Drift: ${loaded.result.monitor}`;
    const message: DriftReportHostMessage = { type: 'report', payload: loaded };
    void report.panel.webview.postMessage(message);
  }

  dispose(): void {
    for (const report of [...this.open.values()]) report.panel.dispose();
    this.open.clear();
  }
}

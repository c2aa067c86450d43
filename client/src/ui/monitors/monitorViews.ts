import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import { Views } from '../../../../common/src/ids/viewTypes';
import type { DisposableTree } from '../disposables';
import { notify } from '../notify';
import type { RunController } from '../run/runController';
import type { TrackingConnection } from '../tracking';
import { DriftReportPanels } from './driftReportPanel';
import { MonitorController } from './monitorController';
import { findMonitorFiles, targetFile } from '../workspaceFiles';
import { MonitorSchedule } from './monitorSchedule';
import { MonitorsTreeProvider, type MonitorNode } from './monitorsTree';

export interface MonitorDeps {
  readonly extensionUri: vscode.Uri;
  readonly tracking: TrackingConnection;
  readonly runs: RunController;
  readonly output: vscode.LogOutputChannel;
}

/** The Monitors view, drift checks (lens, palette, view, schedule), the drift report and retraining. */
export function registerMonitors(tree: DisposableTree, deps: MonitorDeps): MonitorController {
  const monitors = tree.track(new MonitorsTreeProvider(deps.tracking, deps.output));
  const view = tree.track(vscode.window.createTreeView(Views.monitors, { treeDataProvider: monitors, showCollapseAll: true }));
  tree.track(deps.tracking.followVisibility(view));
  const controller = tree.track(new MonitorController(deps.tracking, deps.runs, monitors, deps.output));
  const reports = tree.track(new DriftReportPanels(deps.extensionUri, controller));
  controller.reports = reports;
  // A check recorded by another writer (a joined window's, `mlops monitor`, a team server's poll) refreshes its open report.
  tree.track(
    deps.tracking.onDidChange((batch) => {
      const checks = batch.filter((c) => c.kind === 'monitor');
      if (checks.length > 0) reports.followChecks(checks.some((c) => c.ids.length === 0) ? [] : checks.flatMap((c) => c.ids));
    }),
  );
  tree.track(new MonitorSchedule((uri, trigger) => controller.check(uri, trigger)));

  const register = (id: string, fn: (...args: never[]) => unknown) => tree.track(vscode.commands.registerCommand(id, fn));
  // From the language server's "Check drift" lens (the URI as a string), the view (a row), the palette (none).
  register(Commands.checkDrift, async (target?: Target) => {
    const uri = await monitorTarget(target, 'Check drift of which monitor?');
    if (uri) await controller.check(uri, 'command');
  });
  register(Commands.showDriftReport, async (target?: Target, time?: number) => {
    const uri = await monitorTarget(target, 'Show the drift report of which monitor?');
    if (!uri) return;
    if (!(await controller.load(uri, typeof time === 'number' ? time : undefined))) {
      const choice = await notify.info(
        `${vscode.workspace.asRelativePath(uri)} has not been checked yet${vscode.workspace.isTrusted ? '' : ' (checks are off in Restricted Mode)'}.`,
        { actions: vscode.workspace.isTrusted ? ['Check Drift'] : [] },
      );
      if (choice === 'Check Drift') await controller.check(uri, 'command');
      if (!(await controller.load(uri))) return;
    }
    await reports.show(uri, typeof time === 'number' ? time : undefined);
  });
  register(Commands.retrainFromMonitor, async (target?: Target) => {
    const uri = await monitorTarget(target, "Retrain with which monitor's pipeline?");
    if (uri) await controller.retrain(uri);
  });
  register(Commands.refreshMonitors, () => monitors.refresh());
  register(Commands.openMonitor, async (uri: vscode.Uri) => {
    await vscode.window.showTextDocument(uri, { preview: true });
  });
  return controller;
}

type Target = vscode.Uri | string | MonitorNode;

/** The monitor file a command is about: its argument, else the active monitor editor, else one picked. */
function monitorTarget(target: Target | undefined, placeHolder: string): Promise<vscode.Uri | undefined> {
  const uri =
    target !== undefined && typeof target === 'object' && !(target instanceof vscode.Uri)
      ? target.kind === 'monitor' || target.kind === 'check'
        ? target.info.uri
        : undefined
      : target;
  return targetFile(uri, {
    languageId: 'mlops-monitor',
    find: findMonitorFiles,
    none: { message: 'no *.monitor.yaml file in this workspace.' },
    placeHolder,
  });
}

import * as vscode from 'vscode';
import type { WorkspaceTracking } from '../../core/tracking/workspaceServer';
import { notify, prefixed } from '../notify';
import type { TrackingConnection } from '../tracking';

/** Where a run may go: the tracking endpoint it logs into and the folder holding `.mlops/`. */
export interface RunPlace {
  readonly tracking: WorkspaceTracking;
  readonly workspaceDir: string;
}

const UNTRUSTED_MESSAGE =
  'pipelines do not run in Restricted Mode. This workspace is not trusted, and a pipeline runs the shell commands written in its files. Trust the folder (Manage Workspace Trust) to run it.';

/** Why nothing can run, or undefined when something can (without the `MLOps: ` prefix). */
function whyNotRunnable(tracking: TrackingConnection): string | undefined {
  if (!vscode.workspace.isTrusted) return UNTRUSTED_MESSAGE;
  if (!tracking.folder())
    return "open a folder to run pipelines: a run is tracked in the folder's .mlops/ store, and this window has no folder on disk.";
  return undefined;
}

/**
 * The place to run, or undefined after telling the user why there is none
 * (Restricted Mode, no folder, the tracking store did not open).
 */
export async function placeToRun(tracking: TrackingConnection, output: vscode.LogOutputChannel): Promise<RunPlace | undefined> {
  const why = whyNotRunnable(tracking);
  if (why) {
    void notify.blocked(why);
    return undefined;
  }
  const opened = await tracking.start();
  const folder = tracking.folder();
  if (!opened || !folder) {
    void notify
      .error(
        `the pipeline did not run because the tracking store (.mlops/tracking.db), which records every run, did not open${tracking.lastError ? `: ${tracking.lastError}` : ''}.`,
        { actions: ['Show Output'] },
      )
      .then((choice) => choice && output.show(true));
    return undefined;
  }
  return { tracking: opened, workspaceDir: folder.uri.fsPath };
}

/** Error text of a failed tracking start, for a task's terminal. */
export async function placeForTask(tracking: TrackingConnection): Promise<RunPlace | string> {
  const why = whyNotRunnable(tracking);
  if (why) return prefixed(why);
  const opened = await tracking.start();
  const folder = tracking.folder();
  if (!opened || !folder)
    return prefixed(
      `the tracking store (.mlops/tracking.db) did not open${tracking.lastError ? `: ${tracking.lastError}` : ''}; see the MLOps Workbench output.`,
    );
  return { tracking: opened, workspaceDir: folder.uri.fsPath };
}

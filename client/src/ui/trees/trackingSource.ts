import type * as vscode from 'vscode';
import type { StoreChange, TrackingApi } from '../../core/tracking/repository';
import type { RemoteArtifacts } from '../../core/tracking/remote/artifacts';

/** What the trees need of the tracking connection: the API once the store is open, and its change batches. */
export interface TrackingSource {
  /** Undefined while the store is closed (Restricted Mode, tracking off, or it failed to open). */
  api(): Promise<TrackingApi | undefined>;
  readonly onDidChange: vscode.Event<readonly StoreChange[]>;
  /** A team server's artifact listing and downloads; undefined with the workspace database (its artifacts are files). */
  remoteArtifacts?(): RemoteArtifacts | undefined;
  /** Polls a team server often only while one of these views is visible. */
  followVisibility?(view: { readonly visible: boolean; readonly onDidChangeVisibility: vscode.Event<unknown> }): vscode.Disposable;
}

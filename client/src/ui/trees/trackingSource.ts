import type * as vscode from 'vscode';
import type { StoreChange, TrackingApi } from '../../core/tracking/repository';

/** What the trees need of the tracking connection: the API once the store is open, and its change batches. */
export interface TrackingSource {
  /** Undefined while the store is closed (Restricted Mode, tracking off, or it failed to open). */
  api(): Promise<TrackingApi | undefined>;
  readonly onDidChange: vscode.Event<readonly StoreChange[]>;
}

import * as vscode from 'vscode';
import { errorMessage } from '../../../../common/src/errors';
import { loadFeatureRegistry, type FeatureRegistry } from '../../core/features/registry';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import type { Materialization, TrackingApi } from '../../core/tracking/repository';
import type { TrackingConnection } from '../tracking';

export const FEATURES_GLOB = '**/*.features.{yaml,yml}';

/** The workspace's feature definitions, or why they cannot be read (a file and what is wrong in it). */
export type RegistryState = { readonly registry: FeatureRegistry } | { readonly error: string };

/** The folder whose features the editor reads and whose store holds the online table. */
export function featuresFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
}

export async function readRegistry(folder: vscode.WorkspaceFolder): Promise<RegistryState> {
  try {
    return { registry: await loadFeatureRegistry([folder.uri.fsPath]) };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

/**
 * The last materialisation of each view, from the workspace store: the one
 * this window serves, or (when the window uses a team's MLflow server, which
 * has no online table) the workspace database opened for the read.
 */
export async function readMaterializations(
  tracking: TrackingConnection,
  folder: vscode.WorkspaceFolder,
): Promise<Map<string, Materialization>> {
  const served = await tracking.start();
  const list = async (api: TrackingApi) => new Map((await api.listMaterializations({})).materializations.map((m) => [m.view, m]));
  if (served && served.role !== 'remote') return list(served.api);
  const access = await openTrackingAccess(folder.uri.fsPath, { trackingUri: 'workspace' });
  try {
    return await list(access.api);
  } finally {
    await access.close();
  }
}

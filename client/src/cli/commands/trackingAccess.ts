import * as path from 'node:path';
import type { TrackingApi } from '../../core/tracking/repository';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import type { CliIO } from '../command';

/** Options and helpers shared by the commands that read or change the tracking store. */

export const WORKSPACE_OPTION = { type: 'string', value: 'DIR', description: 'Workspace folder (default: the current folder)' } as const;
export const JSON_OPTION = { type: 'boolean', description: 'Print JSON instead of a table' } as const;

export function workspaceOf(values: Record<string, unknown>, cwd: string): string {
  return path.resolve(cwd, typeof values.workspace === 'string' ? values.workspace : '.');
}

export function time(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * Runs `use` against the workspace's store: the database itself when it is
 * free, or the endpoint of the process holding it; always let go afterwards.
 */
export async function withTracking<T>(values: Record<string, unknown>, io: CliIO, use: (api: TrackingApi) => Promise<T>): Promise<T> {
  const access = await openTrackingAccess(workspaceOf(values, io.cwd));
  try {
    return await use(access.api);
  } finally {
    await access.close();
  }
}

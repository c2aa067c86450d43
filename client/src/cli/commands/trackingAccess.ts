import * as path from 'node:path';
import type { TrackingApi } from '../../core/tracking/repository';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import type { RetryInfo } from '../../core/tracking/rest/request';
import type { CliIO } from '../command';

/** Options and helpers shared by the commands that read or change the tracking store. */

export const WORKSPACE_OPTION = { type: 'string', value: 'DIR', description: 'Workspace folder (default: the current folder)' } as const;
export const JSON_OPTION = { type: 'boolean', description: 'Print JSON instead of a table' } as const;
export const TRACKING_URI_OPTION = {
  type: 'string',
  value: 'URI',
  description: "A team's MLflow tracking server (default: MLFLOW_TRACKING_URI, else the workspace store)",
} as const;

/** `--tracking-uri` as openTrackingAccess takes it. */
export function trackingUriOf(values: Record<string, unknown>): { trackingUri?: string } {
  return typeof values['tracking-uri'] === 'string' ? { trackingUri: values['tracking-uri'] } : {};
}

export function workspaceOf(values: Record<string, unknown>, cwd: string): string {
  return path.resolve(cwd, typeof values.workspace === 'string' ? values.workspace : '.');
}

export function time(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Tells stderr that a call to the tracking endpoint is retried, and when: the wait can be a minute. */
export function retryNotice(io: CliIO): (info: RetryInfo) => void {
  return (info) =>
    io.err(
      `mlops: tracking endpoint: retrying ${info.method} ${info.path} in ${(info.delayMs / 1000).toFixed(1)} s ` +
        `(${info.reason}; attempt ${info.attempt + 1} of ${info.maxAttempts})\n`,
    );
}

/**
 * Runs `use` against the workspace's store: the database itself when it is
 * free, or the endpoint of the process holding it; always let go afterwards.
 */
export async function withTracking<T>(values: Record<string, unknown>, io: CliIO, use: (api: TrackingApi) => Promise<T>): Promise<T> {
  const access = await openTrackingAccess(workspaceOf(values, io.cwd), { onRetry: retryNotice(io), ...trackingUriOf(values) });
  try {
    return await use(access.api);
  } finally {
    await access.close();
  }
}

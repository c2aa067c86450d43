import { credentialsFromEnv } from '../core/tracking/choice';
import type { TrackingAuth } from '../core/tracking/rest/request';
import type { CeilingVerdict } from '../core/tracking/storeCeiling';

// What the tracking status bar item and the store switcher show, and which credentials a server
// gets: no vscode here, so the unit tests read it directly.

/** The store in use, as the status bar item tells it. */
export type StoreState =
  | {
      readonly kind: 'workspace';
      readonly role: 'owner' | 'peer';
      readonly url: string;
      readonly ownerPid?: number;
      /** How the store's size compares with the ceiling (storeCeiling.ts); known to the owner only. */
      readonly ceiling?: CeilingVerdict;
    }
  | { readonly kind: 'remote'; readonly url: string; readonly reachable: boolean; readonly error?: string; readonly outbox?: number }
  | { readonly kind: 'failed'; readonly target?: string; readonly error: string };

const SWITCH = 'Click to switch stores.';

/** The host (and port) of a server URL, for the status bar; the text itself when it is no URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * `$(database) Tracking: workspace`, `$(cloud) Tracking: host`, `$(cloud-offline) ...` and its tooltip;
 * `warning` when the item should stand out (a workspace store past its ceiling).
 */
export function storeLabel(state: StoreState): { text: string; tooltip: string; warning?: true } {
  switch (state.kind) {
    case 'workspace': {
      const over = state.ceiling?.level === 'over';
      const ceiling = state.ceiling?.message ? `\n${state.ceiling.message}` : '';
      return {
        text: `$(${over ? 'warning' : 'database'}) Tracking: ${state.role === 'owner' ? 'workspace' : 'workspace (shared)'}`,
        tooltip: `Tracking in the workspace database (.mlops/tracking.db); MLflow-compatible endpoint ${state.url}${
          state.role === 'peer' && state.ownerPid ? ` (served by process ${state.ownerPid})` : ''
        }${ceiling}\n${SWITCH}`,
        ...(over ? { warning: true as const } : {}),
      };
    }
    case 'remote': {
      const host = hostOf(state.url);
      const waiting = state.outbox ? ` (${state.outbox} waiting)` : '';
      const outbox = state.outbox ? `\n${state.outbox} write${state.outbox === 1 ? '' : 's'} wait in .mlops/outbox` : '';
      return state.reachable
        ? { text: `$(cloud) Tracking: ${host}${waiting}`, tooltip: `Tracking in the MLflow server ${state.url}${outbox}\n${SWITCH}` }
        : {
            text: `$(cloud-offline) Tracking: ${host}${waiting}`,
            tooltip: `The MLflow server ${state.url} does not answer: ${state.error ?? 'no answer'}${outbox}\n${SWITCH}`,
          };
    }
    case 'failed':
      return {
        text: `$(warning) Tracking${state.target ? `: ${hostOf(state.target)}` : ''}`,
        tooltip: `${state.target ? `The tracking server ${state.target} cannot be used` : 'The tracking store did not open'}: ${state.error}\n${SWITCH}`,
      };
  }
}

/** Where SecretStorage keeps the credentials of a server: one entry per origin. */
export function secretKey(url: string): string {
  return `mlops.tracking.credentials:${new URL(url).origin}`;
}

/** A stored secret read back as credentials; undefined when it is missing or not one. */
export function parseStoredCredentials(stored: string | undefined): TrackingAuth | undefined {
  if (!stored) return undefined;
  try {
    const value = JSON.parse(stored) as Record<string, unknown>;
    if (typeof value.token === 'string' && value.token) return { token: value.token };
    if (typeof value.username === 'string' && value.username && typeof value.password === 'string')
      return { username: value.username, password: value.password };
  } catch {
    // Unreadable: as if nothing were stored.
  }
  return undefined;
}

/** The credentials a server gets: those stored for its origin, else MLflow's variables of the editor's environment. */
export function chooseCredentials(
  stored: string | undefined,
  env: NodeJS.ProcessEnv,
): { auth: TrackingAuth | undefined; from: 'secret storage' | 'environment' | 'none' } {
  const saved = parseStoredCredentials(stored);
  if (saved) return { auth: saved, from: 'secret storage' };
  const fromEnv = credentialsFromEnv(env);
  return fromEnv ? { auth: fromEnv, from: 'environment' } : { auth: undefined, from: 'none' };
}

/** How many servers the switcher remembers. */
export const RECENT_LIMIT = 5;

/** The recent servers after `url` was used: it first, no duplicates, at most RECENT_LIMIT. */
export function rememberServer(recent: readonly string[], url: string): string[] {
  return [url, ...recent.filter((u) => u !== url)].slice(0, RECENT_LIMIT);
}

/** The switcher's store choices: the workspace, then the configured server, then the recent ones; `current` marks the one in use. */
export function storeChoices(
  configured: string,
  recent: readonly string[],
): { label: string; detail: string; value: string; current: boolean }[] {
  const servers = [...new Set([configured, ...recent].filter((u) => u !== ''))];
  return [
    { label: '$(database) Workspace database', detail: '.mlops/tracking.db of this folder', value: '', current: configured === '' },
    ...servers.map((u) => ({
      label: `$(cloud) ${hostOf(u)}`,
      detail: u === configured ? `${u} (in use)` : u,
      value: u,
      current: u === configured,
    })),
  ];
}

import type { TrackingApi } from '../tracking/repository';
import { onlineFeatures, onlineRequest } from './online';
import { loadFeatureRegistry, type FeatureRegistry } from './registry';

/** How long the definitions read for one request serve the next ones. */
const REGISTRY_TTL_MS = 2000;

/**
 * `POST /get-online-features` of the workspace's endpoint: the features files are read again at
 * most every two seconds, so a lookup costs a store read, not a walk of the workspace.
 */
export function onlineFeaturesEndpoint(api: TrackingApi, workspaceDir: string): (body: unknown) => Promise<unknown> {
  let cached: { at: number; registry: Promise<FeatureRegistry> } | undefined;
  const registry = () => {
    const now = Date.now();
    if (!cached || now - cached.at > REGISTRY_TTL_MS) {
      const loading = loadFeatureRegistry([workspaceDir]);
      cached = { at: now, registry: loading };
      loading.catch(() => (cached = undefined));
    }
    return cached.registry;
  };
  return async (body) => onlineFeatures(api, await registry(), onlineRequest(body), Date.now());
}

import type { OnlineRow, StoreChange, TrackingApi } from '../tracking/repository';
import { onlineFeatures, onlineRequest, type OnlineRows } from './online';
import { loadFeatureRegistry, type FeatureRegistry } from './registry';

/** How long the definitions read for one request serve the next ones. */
const REGISTRY_TTL_MS = 2000;
/** Views up to this many keys are held in memory; larger ones are read from the store per request. */
const MAX_CACHED_KEYS = 200_000;

type Subscribe = (listener: (changes: StoreChange[]) => void) => { dispose(): void };

/**
 * `POST /get-online-features` of the workspace's endpoint. The features files are read again at
 * most every two seconds. Each view's online rows are held in this process once asked for, and
 * dropped when the store reports a write to that view (a materialisation), so a lookup is a map
 * read instead of a round trip to the store's worker.
 */
export function onlineFeaturesEndpoint(api: TrackingApi, workspaceDir: string, subscribe?: Subscribe): (body: unknown) => Promise<unknown> {
  // Stale while revalidating: a request never waits for a reload it did not need, only for the first
  // load and for one after a load failed (a broken features file then fails the lookups that follow).
  let current: FeatureRegistry | undefined;
  let loadedAt = 0;
  let loading: Promise<FeatureRegistry> | undefined;
  const registry = (): FeatureRegistry | Promise<FeatureRegistry> => {
    if (!loading && (!current || Date.now() - loadedAt > REGISTRY_TTL_MS)) {
      loadedAt = Date.now();
      const load = loadFeatureRegistry([workspaceDir]).then(
        (loaded) => (current = loaded),
        (error: unknown) => {
          current = undefined;
          throw error;
        },
      );
      loading = load;
      void load.then(
        () => (loading = undefined),
        () => (loading = undefined),
      );
    }
    return current ?? loading!;
  };
  const views = new Map<string, Promise<Map<string, OnlineRow> | undefined>>();
  subscribe?.((changes) => {
    for (const change of changes) if (change.kind === 'online') for (const view of change.ids) views.delete(view);
  });
  const held = (view: string) => {
    let loading = views.get(view);
    if (!loading) {
      loading = api
        .getOnlineRows({ view, max_rows: MAX_CACHED_KEYS })
        .then(({ rows, truncated }) => (truncated ? undefined : new Map(rows.map((r) => [r.entity_key, r]))));
      loading.catch(() => views.delete(view));
      views.set(view, loading);
    }
    return loading;
  };
  const rows: OnlineRows = {
    async getOnlineRows({ view, entity_keys }) {
      const map = subscribe ? await held(view) : undefined;
      if (!map) return api.getOnlineRows({ view, entity_keys });
      const found: OnlineRow[] = [];
      for (const key of entity_keys) {
        const row = map.get(key);
        if (row) found.push(row);
      }
      return { rows: found };
    },
  };
  return async (body) => onlineFeatures(rows, await registry(), onlineRequest(body), Date.now());
}

import type { OnlineRow, OnlineValue } from '../tracking/repository';
import { requestedFeatures, RetrievalError, type FeatureRequest, type RequestedFeature } from './pointInTime';
import type { FeatureRegistry, ViewSpec } from './registry';
import { formatTimestamp } from './timestamps';

// Online lookups with the shapes of Feast's Python feature server (`POST /get-online-features`):
// a request names features or a feature service and gives entity values by join key, column-wise;
// the answer has one result per column (the join keys first), each with values, statuses and
// event timestamps.

export type FieldStatus = 'PRESENT' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE';

/** Where the stored rows come from: the store, or a copy held in memory (onlineEndpoint.ts). */
export interface OnlineRows {
  getOnlineRows(req: { view: string; entity_keys: string[] }): Promise<{ rows: OnlineRow[] }>;
}

export interface OnlineRequest {
  features?: string[];
  feature_service?: string;
  entities: Record<string, unknown[]>;
  full_feature_names?: boolean;
}

export interface OnlineResponse {
  metadata: { feature_names: string[] };
  results: { values: OnlineValue[]; statuses: FieldStatus[]; event_timestamps: string[] }[];
}

const EPOCH = '1970-01-01T00:00:00Z';
/** ISO times of event times seen lately: a lookup names the same row's time once per feature. */
const isoSeen = new Map<number, string>();
function iso(ms: number): string {
  let text = isoSeen.get(ms);
  if (text === undefined) {
    text = formatTimestamp(ms);
    if (isoSeen.size > 10_000) isoSeen.clear();
    isoSeen.set(ms, text);
  }
  return text;
}

/** The request's own fields checked, as a Feast request: names the one that is wrong. */
export function onlineRequest(body: unknown): OnlineRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RetrievalError('the request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (b.features !== undefined && (!Array.isArray(b.features) || b.features.some((f) => typeof f !== 'string')))
    throw new RetrievalError('\'features\' must be a list of "view:field" strings');
  if (b.feature_service !== undefined && typeof b.feature_service !== 'string')
    throw new RetrievalError("'feature_service' must be a string");
  if ((b.features === undefined) === (b.feature_service === undefined))
    throw new RetrievalError("give 'features' or 'feature_service', one of them");
  if (typeof b.entities !== 'object' || b.entities === null || Array.isArray(b.entities))
    throw new RetrievalError("'entities' must be an object of join key -> list of values");
  for (const [key, values] of Object.entries(b.entities))
    if (!Array.isArray(values)) throw new RetrievalError(`entities.${key} must be a list`);
  return b as unknown as OnlineRequest;
}

interface ViewLookup {
  readonly view: ViewSpec;
  /** The requested fields of this view, with their output columns, in request order. */
  readonly wanted: readonly RequestedFeature[];
}

/** What a request's feature list resolves to; the same list in the next request reuses it. */
interface LookupPlan {
  readonly features: readonly RequestedFeature[];
  readonly lookups: readonly ViewLookup[];
}

const plans = new WeakMap<FeatureRegistry, Map<string, LookupPlan>>();

function lookupPlan(registry: FeatureRegistry, req: OnlineRequest): LookupPlan {
  const request: FeatureRequest = req.feature_service !== undefined ? { service: req.feature_service } : { features: req.features ?? [] };
  const full = req.full_feature_names === true;
  const id = `${full ? 1 : 0}${'service' in request ? `s${request.service}` : `f${request.features.join('\n')}`}`;
  let byId = plans.get(registry);
  if (!byId) plans.set(registry, (byId = new Map()));
  let plan = byId.get(id);
  if (!plan) {
    const features = requestedFeatures(registry, request, full);
    const byView = new Map<ViewSpec, RequestedFeature[]>();
    for (const f of features) byView.set(f.view, [...(byView.get(f.view) ?? []), f]);
    plan = { features, lookups: [...byView].map(([view, wanted]) => ({ view, wanted })) };
    if (byId.size > 1000) byId.clear();
    byId.set(id, plan);
  }
  return plan;
}

/** Looks up every entity row in the online store; `now` decides what is past a view's ttl. */
export async function onlineFeatures(api: OnlineRows, registry: FeatureRegistry, req: OnlineRequest, now: number): Promise<OnlineResponse> {
  const { features, lookups } = lookupPlan(registry, req);
  const entityKeys = Object.keys(req.entities);
  const n = entityKeys.length ? req.entities[entityKeys[0]!]!.length : 0;
  if (entityKeys.some((k) => req.entities[k]!.length !== n))
    throw new RetrievalError(
      `the entity lists have different lengths (${entityKeys.map((k) => `${k}: ${req.entities[k]!.length}`).join(', ')})`,
    );
  const results: OnlineResponse['results'] = entityKeys.map((k) => ({
    values: req.entities[k]! as OnlineValue[],
    statuses: new Array<FieldStatus>(n).fill('PRESENT'),
    event_timestamps: new Array<string>(n).fill(EPOCH),
  }));
  const asked = lookups.map(({ view }) => {
    const columns = view.joinKeys.map((k) => {
      const values = req.entities[k];
      if (!values) throw new RetrievalError(`feature view ${view.name} needs the entity key ${k}`);
      return values;
    });
    const keys = new Array<string>(n);
    for (let row = 0; row < n; row++)
      keys[row] = columns.length === 1 ? String(columns[0]![row]) : columns.map((c) => String(c[row])).join('\u0001');
    return keys;
  });
  // Every view's lookup is on its way before the first answer is read.
  const answers = await Promise.all(
    lookups.map(({ view }, i) => api.getOnlineRows({ view: view.name, entity_keys: n === 1 ? asked[i]! : [...new Set(asked[i])] })),
  );
  const columns = new Map<string, OnlineResponse['results'][number]>();
  lookups.forEach(({ view, wanted }, i) => {
    const keys = asked[i]!;
    const found = new Map(answers[i]!.rows.map((r) => [r.entity_key, r]));
    const rows = keys.map((key) => found.get(key));
    for (const f of wanted) {
      const column = { values: new Array<OnlineValue>(n), statuses: new Array<FieldStatus>(n), event_timestamps: new Array<string>(n) };
      rows.forEach((row, r) => {
        if (!row) {
          column.values[r] = null;
          column.statuses[r] = 'NOT_FOUND';
          column.event_timestamps[r] = EPOCH;
        } else if (view.ttlMs > 0 && now - row.event_time > view.ttlMs) {
          column.values[r] = null;
          column.statuses[r] = 'OUTSIDE_MAX_AGE';
          column.event_timestamps[r] = iso(row.event_time);
        } else {
          const value = row.values[f.field];
          column.values[r] = value ?? null;
          column.statuses[r] = value === null || value === undefined ? 'NOT_FOUND' : 'PRESENT';
          column.event_timestamps[r] = iso(row.event_time);
        }
      });
      columns.set(f.column, column);
    }
  });
  return {
    metadata: { feature_names: [...entityKeys, ...features.map((f) => f.column)] },
    results: [...results, ...features.map((f) => columns.get(f.column)!)],
  };
}

import { readFileSync } from 'node:fs';

/** One request and its answer, as test/fixtures/mlflow-2.12.2/recordingProxy.ts wrote them. */
export interface Exchange {
  seq: number;
  method: string;
  path: string;
  request?: Body;
  status: number;
  response?: Body;
}
export type Body = { json: unknown } | { text: string } | { bytes: number; sha256: string };

export function readTraffic(file: string): Exchange[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Exchange)
    .sort((a, b) => a.seq - b.seq);
}

/** Values a server makes up itself (times, its error wording): compared for presence only. */
const VOLATILE = new Set([
  'creation_time',
  'last_update_time',
  'creation_timestamp',
  'last_updated_timestamp',
  'deleted_time',
  'message',
  'next_page_token',
]);
/** Ids each server gives out: the replay maps the recorded ones to ours. */
const ID_KEYS = new Set(['run_id', 'run_uuid', 'experiment_id']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Protobuf JSON leaves out empty lists and empty strings; our server writes some of them. Both mean the same. */
function isDefault(v: Json | undefined): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Lists of key/value pairs compare as sets. */
function sortedPairs(list: Json[]): Json[] {
  const pairs = list.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x) && 'key' in x && 'value' in x);
  return pairs ? [...list].sort((a, b) => String((a as { key: Json }).key).localeCompare(String((b as { key: Json }).key))) : list;
}

export class IdMap {
  private readonly map = new Map<string, string>();

  /** Walks a recorded answer and ours side by side; where an id differs, remembers it. */
  learn(recorded: unknown, ours: unknown): void {
    if (recorded === null || ours === null || typeof recorded !== 'object' || typeof ours !== 'object') return;
    if (Array.isArray(recorded) && Array.isArray(ours)) {
      recorded.forEach((r, i) => this.learn(r, ours[i]));
      return;
    }
    const r = recorded as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    for (const [k, v] of Object.entries(r)) {
      if (ID_KEYS.has(k) && typeof v === 'string' && typeof o[k] === 'string' && v !== o[k]) this.map.set(v, o[k] as string);
      else this.learn(v, o[k]);
    }
  }

  /** The recorded text with every recorded id that differs replaced by ours. */
  apply(text: string): string {
    let out = text;
    for (const [from, to] of this.map) out = out.split(from).join(to);
    return out;
  }
}

/**
 * Where our answer differs from the recorded one: a value (ids mapped, volatile values only
 * present), or a field the recorded answer has that ours lacks. Fields only ours has are listed
 * apart: MLflow's client ignores fields it does not know.
 */
export function compareAnswers(recorded: Json, ours: Json, ids: IdMap, at = ''): { differs: string[]; extra: string[] } {
  const differs: string[] = [];
  const extra: string[] = [];
  const walk = (r: Json | undefined, o: Json | undefined, p: string): void => {
    if (isDefault(r) && isDefault(o)) return;
    if (r === undefined) {
      extra.push(p);
      return;
    }
    if (o === undefined) {
      differs.push(`${p}: missing (recorded ${JSON.stringify(r).slice(0, 80)})`);
      return;
    }
    const key = p.slice(p.lastIndexOf('.') + 1);
    if (VOLATILE.has(key)) return;
    if (Array.isArray(r) && Array.isArray(o)) {
      if (r.length !== o.length) differs.push(`${p}: ${r.length} items recorded, ${o.length} ours`);
      const [rs, os] = [sortedPairs(r), sortedPairs(o)];
      rs.forEach((x, i) => walk(x, os[i], `${p}[${i}]`));
      return;
    }
    if (r !== null && o !== null && typeof r === 'object' && typeof o === 'object' && !Array.isArray(r) && !Array.isArray(o)) {
      for (const k of new Set([...Object.keys(r), ...Object.keys(o)])) walk(r[k], o[k], `${p}.${k}`);
      return;
    }
    const mapped = typeof r === 'string' ? ids.apply(r) : r;
    if (mapped !== o && !(typeof mapped === 'number' && typeof o === 'string' && String(mapped) === o))
      differs.push(`${p}: recorded ${JSON.stringify(mapped).slice(0, 80)}, ours ${JSON.stringify(o).slice(0, 80)}`);
  };
  walk(recorded, ours, at);
  return { differs, extra };
}

import { allModelVersions, allRegisteredModels } from '../tracking/listing';
import type { ModelVersion, RegisteredModel, TrackingApi } from '../tracking/repository';

export interface VersionRow {
  readonly model: string;
  readonly version: string;
  readonly stage: string;
  readonly aliases: readonly string[];
  readonly runId?: string;
  readonly created: number;
  readonly source: string;
}

/** Every registered model, by name. */
export async function registeredModels(api: TrackingApi): Promise<RegisteredModel[]> {
  return (await allRegisteredModels(api)).sort((a, b) => a.name.localeCompare(b.name));
}

/** A model's versions, newest first. */
export async function versionsOf(api: TrackingApi, model: string): Promise<VersionRow[]> {
  return (await allModelVersions(api, model)).sort((a, b) => Number(b.version) - Number(a.version)).map(versionRow);
}

export function versionRow(v: ModelVersion): VersionRow {
  return {
    model: v.name,
    version: v.version,
    stage: v.current_stage,
    aliases: [...v.aliases].sort(),
    ...(v.run_id ? { runId: v.run_id } : {}),
    created: v.creation_timestamp,
    source: v.source,
  };
}

/** The model URIs a version answers to: `models:/name/version`, `models:/name/Stage`, `models:/name@alias`. */
export function modelUris(row: VersionRow): string[] {
  const base = `models:/${row.model}`;
  return [...row.aliases.map((a) => `${base}@${a}`), ...(row.stage !== 'None' ? [`${base}/${row.stage}`] : []), `${base}/${row.version}`];
}

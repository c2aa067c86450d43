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

/**
 * A model's versions, newest first. Their aliases come from the registered model: MLflow's
 * server (2.12) leaves them out of `model-versions/search`, and both stores list them there.
 */
export async function versionsOf(api: TrackingApi, model: string): Promise<VersionRow[]> {
  const [versions, { registered_model }] = await Promise.all([allModelVersions(api, model), api.getRegisteredModel({ name: model })]);
  return versions.sort((a, b) => Number(b.version) - Number(a.version)).map((v) => versionRow(v, registered_model.aliases));
}

function versionRow(v: ModelVersion, modelAliases: RegisteredModel['aliases']): VersionRow {
  const aliases = new Set([...v.aliases, ...modelAliases.filter((a) => a.version === v.version).map((a) => a.alias)]);
  return {
    model: v.name,
    version: v.version,
    stage: v.current_stage,
    aliases: [...aliases].sort(),
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

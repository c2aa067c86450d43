import type { TrackingApi } from '../tracking/repository';

export type PromoteTarget =
  | { readonly kind: 'stage'; readonly stage: 'Staging' | 'Production' | 'Archived' | 'None'; readonly archiveExisting: boolean }
  | { readonly kind: 'alias'; readonly alias: string };

const ALIAS = /^[A-Za-z_][A-Za-z0-9_-]{0,254}$/;

/** Why `alias` cannot be an alias (MLflow refuses `latest` and version-like names), or undefined. */
export function aliasProblem(alias: string): string | undefined {
  if (!ALIAS.test(alias)) return 'an alias starts with a letter or _ and has letters, digits, _ and - only';
  if (alias.toLowerCase() === 'latest') return '`latest` is reserved';
  if (/^v\d+$/i.test(alias)) return 'an alias cannot look like a version (v1, v2, ...)';
  return undefined;
}

/**
 * What a user must hear before promoting: the version's source run failed
 * or was killed (promoting it is most likely a mistake), or it has no run.
 */
export async function promotionWarning(api: TrackingApi, model: string, version: string): Promise<string | undefined> {
  const { model_version } = await api.getModelVersion({ name: model, version });
  if (!model_version.run_id) return undefined;
  try {
    const { run } = await api.getRun({ run_id: model_version.run_id });
    if (run.info.status === 'FAILED' || run.info.status === 'KILLED')
      return `the run that produced ${model} version ${version} (${run.info.run_name}) ended ${run.info.status}`;
    if (run.info.lifecycle_stage === 'deleted')
      return `the run that produced ${model} version ${version} (${run.info.run_name}) is deleted`;
  } catch {
    return `the run that produced ${model} version ${version} no longer exists`;
  }
  return undefined;
}

/** The seed's `transition_model_version_stage`, or setting an alias; returns a sentence saying what happened. */
export async function promote(api: TrackingApi, model: string, version: string, target: PromoteTarget): Promise<string> {
  if (target.kind === 'alias') {
    const problem = aliasProblem(target.alias);
    if (problem) throw new Error(`cannot use ${JSON.stringify(target.alias)} as an alias: ${problem}`);
    await api.setRegisteredModelAlias({ name: model, alias: target.alias, version });
    return `${model} version ${version} is now @${target.alias}`;
  }
  const before = target.archiveExisting
    ? (await api.getLatestVersions({ name: model, stages: [target.stage] })).model_versions.filter((v) => v.version !== version)
    : [];
  await api.transitionModelVersionStage({ name: model, version, stage: target.stage, archive_existing_versions: target.archiveExisting });
  const archived =
    before.length > 0 ? `; archived version${before.length === 1 ? '' : 's'} ${before.map((v) => v.version).join(', ')}` : '';
  return `${model} version ${version} moved to ${target.stage}${archived}`;
}

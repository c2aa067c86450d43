import { allModelVersions, allRegisteredModels } from '../listing';
import type { ModelVersion, TrackingApi } from '../repository';
import { MlflowError } from '../repository/errors';
import type { StoreSide } from './sides';

/** The tag that ties a copied model version to its original's number. */
export const SOURCE_VERSION_TAG = 'mlops.sourceVersion';

export interface ModelCopyReport {
  models: number;
  copied: number;
  skipped: number;
}

/**
 * Copies registered models with their versions, stages, aliases, descriptions and tags. A version's
 * source moves with its run when that run was copied (`runs:/<copy>/...`); otherwise it is kept.
 * Idempotent: a target version tagged `mlops.sourceVersion` with the source's number is not made again.
 */
export async function copyModels(source: StoreSide, target: StoreSide, runMap: ReadonlyMap<string, string>): Promise<ModelCopyReport> {
  const report: ModelCopyReport = { models: 0, copied: 0, skipped: 0 };
  for (const model of await allRegisteredModels(source.api)) {
    report.models++;
    try {
      await target.api.createRegisteredModel({
        name: model.name,
        tags: model.tags,
        ...(model.description ? { description: model.description } : {}),
      });
    } catch (error) {
      if (!(error instanceof MlflowError && error.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw error;
    }
    const present = new Map<string, string>();
    for (const v of await allModelVersions(target.api, model.name)) {
      const from = v.tags.find((t) => t.key === SOURCE_VERSION_TAG)?.value;
      if (from) present.set(from, v.version);
    }
    const versions = (await allModelVersions(source.api, model.name)).sort((a, b) => Number(a.version) - Number(b.version));
    const mapped = new Map<string, string>();
    for (const version of versions) {
      const already = present.get(version.version);
      if (already) {
        mapped.set(version.version, already);
        report.skipped++;
        continue;
      }
      const run = version.run_id ? runMap.get(version.run_id) : undefined;
      const created = (
        await target.api.createModelVersion({
          name: model.name,
          source: await movedSource(source.api, version, run),
          ...(run ? { run_id: run } : {}),
          ...(version.description ? { description: version.description } : {}),
          tags: [...version.tags.filter((t) => t.key !== SOURCE_VERSION_TAG), { key: SOURCE_VERSION_TAG, value: version.version }],
        })
      ).model_version;
      if (version.current_stage !== 'None')
        await target.api.transitionModelVersionStage({
          name: model.name,
          version: created.version,
          stage: version.current_stage,
          archive_existing_versions: false,
        });
      mapped.set(version.version, created.version);
      report.copied++;
    }
    for (const alias of model.aliases) {
      const version = mapped.get(alias.version);
      if (version) await target.api.setRegisteredModelAlias({ name: model.name, alias: alias.alias, version });
    }
  }
  return report;
}

/** `runs:/<copy>/<path>` when the source lies in the copied run's artifacts; the source unchanged otherwise. */
async function movedSource(api: TrackingApi, version: ModelVersion, copiedRun: string | undefined): Promise<string> {
  if (!copiedRun || !version.run_id) return version.source;
  const runs = /^runs:\/([0-9a-f]+)\/?(.*)$/.exec(version.source);
  if (runs) return `runs:/${copiedRun}${runs[2] ? `/${runs[2]}` : ''}`;
  try {
    const root = (await api.getRun({ run_id: version.run_id })).run.info.artifact_uri.replace(/\/+$/, '');
    if (version.source === root || version.source.startsWith(`${root}/`)) {
      const rest = version.source.slice(root.length).replace(/^\/+/, '');
      return `runs:/${copiedRun}${rest ? `/${rest}` : ''}`;
    }
  } catch {
    // The run is gone: keep the source as it was.
  }
  return version.source;
}

import { fileURLToPath } from 'node:url';
import type { ModelVersion, TrackingApi } from './repository';
import { invalid, notFound } from './repository/errors';

export type ModelReference =
  { name: string; version: string } | { name: string; stage: string } | { name: string; alias: string } | { name: string; latest: true };

/** Parses MLflow's model URIs: models:/name/3, models:/name/Production, models:/name/latest, models:/name@alias. */
export function parseModelUri(uri: string): ModelReference {
  const match = /^models:\/+([^/]+)(?:\/([^/]+))?\/?$/.exec(uri.trim());
  const bad = () =>
    invalid(
      `Not a model URI: '${uri}'. Use models:/<name>/<version>, models:/<name>/<stage>, models:/<name>/latest or models:/<name>@<alias>.`,
    );
  if (!match) throw bad();
  const [, first = '', second] = match;
  const name = decodeURIComponent(first);
  if (second === undefined) {
    const at = name.lastIndexOf('@');
    if (at <= 0 || at === name.length - 1) throw bad();
    return { name: name.slice(0, at), alias: name.slice(at + 1) };
  }
  const rest = decodeURIComponent(second);
  if (/^\d+$/.test(rest)) return { name, version: rest };
  if (rest.toLowerCase() === 'latest') return { name, latest: true };
  return { name, stage: rest };
}

export interface ResolvedModel {
  version: ModelVersion;
  /** Where the version's artifacts are (its download URI). */
  artifactUri: string;
  /** The same as a local path, when the artifacts are on this machine. */
  localPath?: string;
}

type RegistryReads = Pick<
  TrackingApi,
  'getLatestVersions' | 'getModelVersionByAlias' | 'getModelVersion' | 'getModelVersionDownloadUri' | 'getRun'
>;

async function findVersion(api: RegistryReads, ref: ModelReference): Promise<ModelVersion> {
  if ('version' in ref) return (await api.getModelVersion({ name: ref.name, version: ref.version })).model_version;
  if ('alias' in ref) return (await api.getModelVersionByAlias({ name: ref.name, alias: ref.alias })).model_version;
  // Stage names match case-insensitively, as `load_model("models:/name/production")` relies on.
  const stages = 'stage' in ref ? [ref.stage] : undefined;
  const versions = (await api.getLatestVersions({ name: ref.name, stages })).model_versions;
  const newest = versions.sort((a, b) => Number(b.version) - Number(a.version))[0];
  if (!newest) throw notFound(`No versions of model with name '${ref.name}'${'stage' in ref ? ` and stage '${ref.stage}'` : ''} found`);
  return newest;
}

/** Resolves a model URI to its version and, for file:// and runs:/ sources, a local path. */
export async function resolveModelUri(api: RegistryReads, uri: string): Promise<ResolvedModel> {
  const version = await findVersion(api, parseModelUri(uri));
  let artifactUri = (await api.getModelVersionDownloadUri({ name: version.name, version: version.version })).artifact_uri;
  const runs = /^runs:\/([0-9a-f]{32})\/?(.*)$/.exec(artifactUri);
  if (runs) {
    const { run } = await api.getRun({ run_id: runs[1]! });
    artifactUri = `${run.info.artifact_uri.replace(/\/+$/, '')}${runs[2] ? `/${runs[2]}` : ''}`;
  }
  const localPath = artifactUri.startsWith('file:') ? fileURLToPath(artifactUri) : artifactUri.startsWith('/') ? artifactUri : undefined;
  return { version, artifactUri, ...(localPath ? { localPath } : {}) };
}

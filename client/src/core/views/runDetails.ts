import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyValue, Metric, StepRecord, TrackingApi } from '../tracking/repository';

export interface ArtifactEntry {
  /** Relative to the run's artifact root, with `/`. */
  readonly path: string;
  /** The file or folder on this machine; empty for one on a team server (`artifactUri` is set then). */
  readonly absolute: string;
  readonly isDir: boolean;
  /** On a team server: the run's artifact URI, which the file is downloaded from. */
  readonly artifactUri?: string;
  /** A file's size in bytes, when the server's listing gives it (a local file's is read when it is opened). */
  readonly size?: number;
}

/** A run's artifacts where they are not a folder on this machine (a team server's `artifacts/list`). */
export interface ArtifactLister {
  /** The entries of one folder (`relative` to the run's artifact root, '' for the root); paths relative to the root. */
  list(runId: string, relative: string): Promise<{ path: string; isDir: boolean; size?: number }[]>;
}

/** Everything under a run's row: the tree shows it in groups. */
export interface RunDetails {
  readonly params: readonly KeyValue[];
  /** Latest value per key, by key. */
  readonly metrics: readonly Metric[];
  readonly steps: readonly StepRecord[];
  /** User-visible tags: MLflow's own `mlflow.*` bookkeeping and the note are left out. */
  readonly tags: readonly KeyValue[];
  readonly note?: string;
  readonly artifactRoot?: string;
  readonly artifactUri: string;
}

export const NOTE_TAG = 'mlflow.note.content';
const HIDDEN_TAG = /^mlflow\.(note\.content|runName|user|source\.type|log-model\.history)$/;

export async function runDetails(api: TrackingApi, runId: string): Promise<RunDetails> {
  const [{ run }, { steps }] = await Promise.all([api.getRun({ run_id: runId }), api.listSteps({ run_id: runId })]);
  const note = run.data.tags.find((t) => t.key === NOTE_TAG)?.value;
  const artifactRoot = run.info.artifact_uri.startsWith('file:') ? fileURLToPath(run.info.artifact_uri) : undefined;
  return {
    params: [...run.data.params].sort((a, b) => a.key.localeCompare(b.key)),
    metrics: [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key)),
    steps,
    tags: run.data.tags.filter((t) => !HIDDEN_TAG.test(t.key)).sort((a, b) => a.key.localeCompare(b.key)),
    ...(note ? { note } : {}),
    ...(artifactRoot ? { artifactRoot } : {}),
    artifactUri: run.info.artifact_uri,
  };
}

const byKind = (a: ArtifactEntry, b: ArtifactEntry) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path);

/** The entries of one artifact folder of a run on a team server, in the order of `artifactEntries`. */
export async function remoteArtifactEntries(
  lister: ArtifactLister,
  runId: string,
  artifactUri: string,
  relative = '',
): Promise<ArtifactEntry[]> {
  const listed = await lister.list(runId, relative);
  return listed
    .map((f) => {
      // MLflow answers paths from the root; a bare name is taken as inside `relative`.
      const rel = relative && !f.path.startsWith(`${relative}/`) ? `${relative}/${f.path}` : f.path;
      return { path: rel, absolute: '', isDir: f.isDir, artifactUri, ...(f.size !== undefined ? { size: f.size } : {}) };
    })
    .sort(byKind);
}

/** The entries of one artifact folder (folders first, then files, by name); a missing folder has none. */
export async function artifactEntries(root: string, relative = ''): Promise<ArtifactEntry[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, relative), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .map((e) => {
      const rel = relative ? `${relative}/${e.name}` : e.name;
      return { path: rel, absolute: path.join(root, rel), isDir: e.isDirectory() };
    })
    .sort(byKind);
}

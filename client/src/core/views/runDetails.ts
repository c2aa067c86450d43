import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyValue, Metric, StepRecord, TrackingApi } from '../tracking/repository';

export interface ArtifactEntry {
  /** Relative to the run's artifact root, with `/`. */
  readonly path: string;
  readonly absolute: string;
  readonly isDir: boolean;
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
  };
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
    .sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path));
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { KeyValue, Metric, MetricValue, RunStatus } from '../repository';

// Reads a folder that MLflow's file store wrote (`mlruns/`), laid out as its FileStore (tracking)
// and FileStore (model registry) of MLflow 2.x write it. docs/tracking-remote.md (Importing an MLflow
// file store) has the layout.

export interface MlrunsExperiment {
  id: string;
  name: string;
  lifecycleStage: 'active' | 'deleted';
  creationTime?: number;
  tags: KeyValue[];
  dir: string;
}

export interface MlrunsRun {
  runId: string;
  experimentId: string;
  name: string;
  userId: string;
  status: RunStatus;
  startTime?: number;
  endTime?: number;
  lifecycleStage: 'active' | 'deleted';
  deletedTime?: number;
  /** The artifact URI the run recorded. */
  artifactUri: string;
  /** Where its artifact files are on this machine, if they are (a moved folder is looked for under the run's own folder). */
  artifactDir?: string;
  params: KeyValue[];
  tags: KeyValue[];
}

export interface MlrunsVersion {
  version: string;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  description?: string;
  userId?: string;
  currentStage: string;
  source: string;
  runId?: string;
  runLink?: string;
  status?: string;
  tags: KeyValue[];
}

export interface MlrunsModel {
  name: string;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  description?: string;
  tags: KeyValue[];
  aliases: { alias: string; version: string }[];
  versions: MlrunsVersion[];
}

/** A file in the folder that is not what MLflow writes there: names the file. */
export class MlrunsFormatError extends Error {}

const TRASH = '.trash';
const MODELS = 'models';
const EXPERIMENT_RESERVED = new Set(['tags', 'datasets']);
/** RunStatus as the file store keeps it: the proto enum's number. */
const STATUS_BY_NUMBER: Record<number, RunStatus> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };

async function isDir(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function readMeta(dir: string): Promise<Record<string, unknown>> {
  const file = path.join(dir, 'meta.yaml');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new MlrunsFormatError(`${file}: missing (every experiment, run, model and version folder has one)`);
  }
  let meta: unknown;
  try {
    meta = parseYaml(text);
  } catch (error) {
    throw new MlrunsFormatError(`${file}: not YAML: ${(error as Error).message}`);
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new MlrunsFormatError(`${file}: expected a mapping`);
  return meta as Record<string, unknown>;
}

const optNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const optString = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** Files under `dir`, recursively: MLflow keeps a key with `/` in it as nested folders. The file's text is the value. */
async function keyValues(dir: string): Promise<KeyValue[]> {
  const out: KeyValue[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const key = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(folder, e.name), key);
      else if (e.isFile()) out.push({ key, value: await fs.readFile(path.join(folder, e.name), 'utf8') });
    }
  };
  await walk(dir, '');
  return out;
}

function status(value: unknown, file: string): RunStatus {
  if (typeof value === 'number' && STATUS_BY_NUMBER[value]) return STATUS_BY_NUMBER[value];
  if (typeof value === 'string' && Object.values(STATUS_BY_NUMBER).includes(value as RunStatus)) return value as RunStatus;
  if (value === undefined || value === null) return 'RUNNING';
  throw new MlrunsFormatError(`${file}: status ${JSON.stringify(value)} is not a run status`);
}

const stage = (v: unknown): 'active' | 'deleted' => (v === 'deleted' ? 'deleted' : 'active');

/** The experiments: the folders with a meta.yaml at the root (active) and under .trash (deleted). */
export async function readExperiments(root: string): Promise<MlrunsExperiment[]> {
  if (!(await isDir(root))) throw new MlrunsFormatError(`${root}: no such folder`);
  const found: MlrunsExperiment[] = [];
  const add = async (dir: string, deleted: boolean): Promise<void> => {
    const meta = await readMeta(dir);
    if (meta.name === undefined) throw new MlrunsFormatError(`${path.join(dir, 'meta.yaml')}: no experiment name`);
    found.push({
      id: String(meta.experiment_id ?? path.basename(dir)),
      name: String(meta.name),
      lifecycleStage: deleted ? 'deleted' : stage(meta.lifecycle_stage),
      ...(optNumber(meta.creation_time) !== undefined ? { creationTime: optNumber(meta.creation_time)! } : {}),
      tags: await keyValues(path.join(dir, 'tags')),
      dir,
    });
  };
  for (const name of await subdirs(root)) {
    if (name === TRASH || name === MODELS) continue;
    const dir = path.join(root, name);
    if (await fs.stat(path.join(dir, 'meta.yaml')).catch(() => undefined)) await add(dir, false);
  }
  for (const name of await subdirs(path.join(root, TRASH))) await add(path.join(root, TRASH, name), true);
  if (found.length === 0)
    throw new MlrunsFormatError(`${root}: no experiment folders (an experiment is a folder with a meta.yaml; is this an mlruns folder?)`);
  return found;
}

async function artifactDirOf(artifactUri: string, runDir: string): Promise<string | undefined> {
  if (artifactUri.startsWith('file:')) {
    const recorded = fileURLToPath(artifactUri);
    if (await isDir(recorded)) return recorded;
  } else if (artifactUri && !/^[a-zA-Z][\w+.-]*:/.test(artifactUri) && (await isDir(artifactUri))) {
    return artifactUri;
  }
  const own = path.join(runDir, 'artifacts');
  return (await isDir(own)) ? own : undefined;
}

/** The runs of one experiment. */
export async function readRuns(experiment: MlrunsExperiment): Promise<MlrunsRun[]> {
  const runs: MlrunsRun[] = [];
  for (const name of await subdirs(experiment.dir)) {
    if (EXPERIMENT_RESERVED.has(name)) continue;
    const dir = path.join(experiment.dir, name);
    const meta = await readMeta(dir);
    const file = path.join(dir, 'meta.yaml');
    const runId = String(meta.run_id ?? meta.run_uuid ?? name);
    const tags = await keyValues(path.join(dir, 'tags'));
    const artifactUri = String(meta.artifact_uri ?? '');
    const artifactDir = await artifactDirOf(artifactUri, dir);
    runs.push({
      runId,
      experimentId: experiment.id,
      name: String(meta.run_name || tags.find((t) => t.key === 'mlflow.runName')?.value || runId),
      userId: String(meta.user_id ?? ''),
      status: status(meta.status, file),
      ...(optNumber(meta.start_time) !== undefined ? { startTime: optNumber(meta.start_time)! } : {}),
      ...(optNumber(meta.end_time) !== undefined ? { endTime: optNumber(meta.end_time)! } : {}),
      lifecycleStage: stage(meta.lifecycle_stage),
      ...(optNumber(meta.deleted_time) !== undefined ? { deletedTime: optNumber(meta.deleted_time)! } : {}),
      artifactUri,
      ...(artifactDir ? { artifactDir } : {}),
      params: await keyValues(path.join(dir, 'params')),
      tags,
    });
  }
  return runs.sort((a, b) => (a.startTime ?? 0) - (b.startTime ?? 0) || a.runId.localeCompare(b.runId));
}

/** Python's repr of a float, as the file store writes it, in protobuf JSON's spelling. */
function metricValue(text: string, file: string, line: number): MetricValue {
  if (text === 'nan') return 'NaN';
  if (text === 'inf') return 'Infinity';
  if (text === '-inf') return '-Infinity';
  const n = Number(text);
  if (text === '' || Number.isNaN(n)) throw new MlrunsFormatError(`${file}:${line}: value ${JSON.stringify(text)} is not a number`);
  return n;
}

/** Every metric point of a run: one file per key, one `timestamp value [step]` line per point. */
export async function readMetrics(experiment: MlrunsExperiment, runId: string): Promise<Metric[]> {
  const dir = path.join(experiment.dir, runId, 'metrics');
  const files = await keyValues(dir);
  const points: Metric[] = [];
  for (const { key, value: text } of files) {
    const file = path.join(dir, ...key.split('/'));
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line) return;
      const parts = line.split(' ');
      if (parts.length !== 2 && parts.length !== 3)
        throw new MlrunsFormatError(`${file}:${i + 1}: expected 'timestamp value [step]', found ${JSON.stringify(line)}`);
      const timestamp = Number(parts[0]);
      const step = parts.length === 3 ? Number(parts[2]) : 0;
      if (!Number.isInteger(timestamp) || !Number.isInteger(step))
        throw new MlrunsFormatError(`${file}:${i + 1}: timestamp and step must be integers, found ${JSON.stringify(line)}`);
      points.push({ key, value: metricValue(parts[1]!, file, i + 1), timestamp, step });
    });
  }
  return points;
}

/** The registered models under `models/`: versions in `version-N/`, aliases in `aliases/` (file text: the version). */
export async function readModels(root: string): Promise<MlrunsModel[]> {
  const models: MlrunsModel[] = [];
  for (const name of await subdirs(path.join(root, MODELS))) {
    const dir = path.join(root, MODELS, name);
    const meta = await readMeta(dir);
    const versions: MlrunsVersion[] = [];
    for (const sub of await subdirs(dir)) {
      if (!/^version-\d+$/.test(sub)) continue;
      const v = await readMeta(path.join(dir, sub));
      versions.push({
        version: String(v.version ?? sub.slice('version-'.length)),
        ...(optNumber(v.creation_timestamp) !== undefined ? { creationTimestamp: optNumber(v.creation_timestamp)! } : {}),
        ...(optNumber(v.last_updated_timestamp) !== undefined ? { lastUpdatedTimestamp: optNumber(v.last_updated_timestamp)! } : {}),
        ...(optString(v.description) !== undefined ? { description: optString(v.description)! } : {}),
        ...(optString(v.user_id) !== undefined ? { userId: optString(v.user_id)! } : {}),
        currentStage: String(v.current_stage ?? 'None'),
        source: String(v.source ?? ''),
        ...(optString(v.run_id) ? { runId: optString(v.run_id)! } : {}),
        ...(optString(v.run_link) ? { runLink: optString(v.run_link)! } : {}),
        ...(optString(v.status) ? { status: optString(v.status)! } : {}),
        tags: await keyValues(path.join(dir, sub, 'tags')),
      });
    }
    versions.sort((a, b) => Number(a.version) - Number(b.version));
    const aliases = (await keyValues(path.join(dir, 'aliases'))).map((a) => ({ alias: a.key, version: a.value.trim() }));
    models.push({
      name: String(meta.name ?? name),
      ...(optNumber(meta.creation_timestamp) !== undefined ? { creationTimestamp: optNumber(meta.creation_timestamp)! } : {}),
      ...(optNumber(meta.last_updated_timestamp) !== undefined ? { lastUpdatedTimestamp: optNumber(meta.last_updated_timestamp)! } : {}),
      ...(optString(meta.description) !== undefined ? { description: optString(meta.description)! } : {}),
      tags: await keyValues(path.join(dir, 'tags')),
      aliases,
      versions,
    });
  }
  return models;
}

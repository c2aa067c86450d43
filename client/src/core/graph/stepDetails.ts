import { open, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage } from '../../../../common/src/errors';
import type { GraphNode } from '../../../../common/src/pipeline/graph';
import type { StepDetails, StepFile } from '../../../../common/src/protocol/graphMessages';
import { parseMetricLine, readMetricsOutput } from '../runner/metricsFile';
import type { PipelinePlan } from '../runner/plan';
import { outputPath, resolveText } from '../runner/scope';
import type { ParamValue } from '../runner/types';
import type { Metric, StepRecord, TrackingApi } from '../tracking/repository';

/** A folder's size counts at most this many entries below it (a tooltip must come quickly). */
const MAX_FOLDER_ENTRIES = 10_000;
/** At most this much of a step's metrics file is read for its keys. */
const MAX_METRICS_BYTES = 8 << 20;
const MAX_LISTED_METRICS = 20;

/** A path as the tooltip shows it: relative to the workspace when inside it. */
function shown(absolute: string, workspaceDir: string | undefined): string {
  if (!workspaceDir) return absolute;
  const relative = path.relative(workspaceDir, absolute);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : absolute;
}

/** Total size of the files below a folder (up to MAX_FOLDER_ENTRIES entries). */
async function folderSize(folder: string): Promise<number> {
  let total = 0;
  let seen = 0;
  const queue = [folder];
  while (queue.length > 0 && seen < MAX_FOLDER_ENTRIES) {
    const dir = queue.pop()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (++seen > MAX_FOLDER_ENTRIES) break;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) queue.push(full);
      else if (entry.isFile()) total += (await stat(full).catch(() => undefined))?.size ?? 0;
    }
  }
  return total;
}

/** What is at a path the step reads or writes: a file or folder with its size, a glob, or nothing. */
export async function stepFile(absolute: string, workspaceDir: string | undefined, name?: string): Promise<StepFile> {
  const base = { ...(name !== undefined ? { name } : {}), path: shown(absolute, workspaceDir) };
  if (/[*?[]/.test(path.basename(absolute))) return { ...base, kind: 'glob' };
  const info = await stat(absolute).catch(() => undefined);
  if (!info) return { ...base, kind: 'missing' };
  if (info.isDirectory()) return { ...base, kind: 'folder', size: await folderSize(absolute) };
  return { ...base, kind: 'file', size: info.size };
}

/** The keys a step wrote to its MLOPS_METRICS_FILE (`.mlops/runs/<run>/<step>.metrics.jsonl`), from its first 8 MiB. */
export async function metricsFileKeys(file: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return keys;
  }
  try {
    const buffer = Buffer.alloc(Math.min(MAX_METRICS_BYTES, (await handle.stat()).size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    for (const line of buffer.subarray(0, bytesRead).toString('utf8').split('\n')) {
      const parsed = line.trim() ? parseMetricLine(line) : undefined;
      if (parsed && typeof parsed !== 'string') keys.add(parsed.key);
    }
  } finally {
    await handle.close();
  }
  return keys;
}

/**
 * The metric keys a step of a run logged itself, as far as the workspace tells: the lines of its
 * metrics file (for a step that ran, not one reused from the cache) and the keys of its `metrics`
 * outputs (which the runner logs again when the step is cached).
 */
export async function stepMetricKeys(
  plan: PipelinePlan | undefined,
  step: StepRecord,
  metricsFile: string | undefined,
): Promise<Set<string>> {
  const keys = step.cached || !metricsFile ? new Set<string>() : await metricsFileKeys(metricsFile);
  const planned = plan?.byId.get(step.step_id);
  if (planned && step.status === 'SUCCEEDED')
    for (const output of planned.outputs.filter((o) => o.type === 'metrics')) {
      const file = outputPath(planned, output.name);
      const read = file ? await readMetricsOutput(file).catch(() => undefined) : undefined;
      for (const key of Object.keys(read?.metrics ?? {})) keys.add(key);
    }
  return keys;
}

export interface DetailsInput {
  readonly node: GraphNode;
  /** The checked pipeline; undefined when the file has errors (inputs are then shown as written). */
  readonly plan?: PipelinePlan;
  readonly planProblem?: string;
  /** The params of the run shown, else the file's defaults resolve `${{ params.* }}` in inputs. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly workspaceDir?: string;
  readonly run?: {
    readonly runId: string;
    readonly step?: StepRecord;
    /** Latest value per key. */
    readonly metrics: readonly Metric[];
    /** The keys each step of the run claims (stepMetricKeys); the rest are the run's own. */
    readonly claimed: ReadonlyMap<string, ReadonlySet<string>>;
  };
  readonly api?: TrackingApi;
}

function listed(metrics: readonly Metric[], keep: (key: string) => boolean): { key: string; value: number }[] {
  return metrics
    .filter((m) => typeof m.value === 'number' && keep(m.key))
    .map((m) => ({ key: m.key, value: m.value as number }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .slice(0, MAX_LISTED_METRICS);
}

/** A node's tooltip: description, image, inputs and outputs with their sizes now, cache key, metrics. */
export async function stepDetails(input: DetailsInput): Promise<StepDetails> {
  const { node, plan, workspaceDir } = input;
  const planned = plan?.byId.get(node.id);
  let inputs: StepFile[];
  let outputs: StepFile[];
  let problem = input.planProblem;
  if (plan && planned) {
    inputs = await Promise.all(
      planned.inputs.map(async (raw) => {
        try {
          const resolved = resolveText(
            { plan, params: input.params, runId: input.run?.runId ?? '', runDir: '', env: process.env, step: planned },
            raw,
          );
          return await stepFile(path.resolve(planned.workdir, resolved), workspaceDir);
        } catch (error) {
          problem ??= `input ${raw}: ${errorMessage(error)}`;
          return { path: raw, kind: 'missing' as const };
        }
      }),
    );
    outputs = await Promise.all(planned.outputs.map((o) => stepFile(outputPath(planned, o.name)!, workspaceDir, o.name)));
  } else {
    inputs = node.inputs.map((raw) => ({ path: raw, kind: 'missing' as const }));
    outputs = node.outputs.map((name) => ({ name, path: '', kind: 'missing' as const }));
  }

  let metrics: { key: string; value: number }[] = [];
  let runMetrics: { key: string; value: number }[] = [];
  const run = input.run;
  if (run) {
    const nested = run.step?.step_run_id;
    if (nested && input.api) {
      // A team's server: the step's own mlflow code logged into its nested run.
      const { run: stepRun } = await input.api.getRun({ run_id: nested }).catch(() => ({ run: undefined }));
      metrics = listed(stepRun?.data.metrics ?? [], () => true);
    } else {
      const own = run.claimed.get(node.id) ?? new Set<string>();
      metrics = listed(run.metrics, (key) => own.has(key));
    }
    const claimedByAny = new Set([...run.claimed.values()].flatMap((keys) => [...keys]));
    runMetrics = listed(run.metrics, (key) => !claimedByAny.has(key));
  }
  const cacheKey = run?.step?.cache_key;
  return {
    stepId: node.id,
    ...(node.description ? { description: node.description } : {}),
    ...(node.image ? { image: node.image } : {}),
    inputs,
    outputs,
    ...(cacheKey ? { cacheKey } : {}),
    metrics,
    runMetrics,
    ...(problem ? { problem } : {}),
  };
}

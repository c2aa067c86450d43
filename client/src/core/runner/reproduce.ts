import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Run, TrackingApi } from '../tracking/repository';
import { loadPipeline } from './plan';
import { readRecord, recordDifferences, runRecord, type RunRecord } from './runRecord';

// Reproducing a run (docs/runner.md, Reproducible runs): what differs from its record, a git worktree
// at its commit when asked, then the same params with the cache off, and the metrics side by side.

export const REPRODUCES_TAG = 'mlops.reproduces';

/** A run that cannot be reproduced here: the message says why. */
export class ReproduceError extends Error {
  override readonly name = 'ReproduceError';
}

export interface Reproduction {
  readonly run: Run;
  readonly record: RunRecord;
  /** The pipeline file to run: in the workspace, or in the worktree. */
  readonly pipelineFile: string;
  readonly differences: readonly string[];
  /** The worktree made at the run's commit, when one was asked for. */
  readonly worktree?: string;
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd, timeout: 60_000, windowsHide: true }, (error, stdout, stderr) =>
      error ? reject(new ReproduceError(`git ${args[0]}: ${(stderr || error.message).trim()}`)) : resolve(stdout),
    ),
  );
}

/** A git worktree of the workspace's repository at `commit`, under .mlops/worktrees (made once per run). */
export async function worktreeAt(workspaceDir: string, commit: string, runId: string): Promise<{ folder: string; workspace: string }> {
  const root = (await git(['rev-parse', '--show-toplevel'], workspaceDir)).trim();
  const folder = path.join(workspaceDir, '.mlops', 'worktrees', runId.slice(0, 12));
  if (!existsSync(folder)) await git(['worktree', 'add', '--detach', folder, commit], root);
  return { folder, workspace: path.join(folder, path.relative(root, workspaceDir)) };
}

/** Reads the run and its record, and says what differs now (in the worktree, when `worktree`). */
export async function prepareReproduction(
  api: TrackingApi,
  runId: string,
  workspaceDir: string,
  options: { worktree?: boolean } = {},
): Promise<Reproduction> {
  let run: Run;
  try {
    ({ run } = await api.getRun({ run_id: runId }));
  } catch {
    throw new ReproduceError(`no run ${runId} in the store`);
  }
  const record = await readRecord(run.info.artifact_uri).catch((error: Error) => {
    throw new ReproduceError(error.message);
  });
  if (!record)
    throw new ReproduceError(
      `run ${run.info.run_name} (${runId}) has no run record: it ran before this tool kept them, or not through mlops run`,
    );
  let base = workspaceDir;
  let worktree: string | undefined;
  if (options.worktree) {
    if (!record.git) throw new ReproduceError(`run ${run.info.run_name} was not in a git repository: there is no commit to check out`);
    const made = await worktreeAt(workspaceDir, record.git.commit, runId);
    worktree = made.folder;
    base = made.workspace;
  }
  const pipelineFile = path.resolve(base, record.pipeline.file);
  if (!existsSync(pipelineFile))
    throw new ReproduceError(`${record.pipeline.file}, the pipeline of run ${run.info.run_name}, is not in ${base}`);
  const plan = await loadPipeline(pipelineFile);
  const now = await runRecord(plan, record.params, base);
  return { run, record, pipelineFile, differences: recordDifferences(record, now), ...(worktree ? { worktree } : {}) };
}

export interface MetricRow {
  readonly key: string;
  readonly before?: number;
  readonly after?: number;
  readonly same: boolean;
}

/** The latest metrics of two runs, key by key; equal to 1e-9 relative counts as the same. */
export function compareMetrics(before: Run, after: Run): MetricRow[] {
  // MLflow writes NaN and infinities as strings; they compare as numbers here.
  const of = (run: Run) => new Map(run.data.metrics.map((m) => [m.key, Number(m.value)]));
  const a = of(before);
  const b = of(after);
  return [...new Set([...a.keys(), ...b.keys()])].sort().map((key) => {
    const x = a.get(key);
    const y = b.get(key);
    const same = x !== undefined && y !== undefined && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
    return { key, ...(x !== undefined ? { before: x } : {}), ...(y !== undefined ? { after: y } : {}), same };
  });
}

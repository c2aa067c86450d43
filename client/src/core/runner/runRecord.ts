import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVersion } from '../../../../common/src/version';
import { expandInput, hashFile, MissingInputError } from './cacheKey';
import type { PipelinePlan } from './plan';
import { resolveText } from './scope';
import type { ParamValue } from './types';

// What a run needs to be run again (docs/runner.md, Reproducible runs): the pipeline file's content
// and hash, the git commit and whether the tree was dirty, the resolved params, the digest of every
// input the steps read that no step writes, and this tool's version. Written to the run's artifacts
// as `mlops/run-record.json`, with the short facts as tags.

export const RECORD_ARTIFACT = 'mlops/run-record.json';
export const RecordTags = {
  version: 'mlops.version',
  pipelineSha256: 'mlops.pipeline.sha256',
  gitDirty: 'mlops.git.dirty',
} as const;

export interface RunRecord {
  readonly version: string;
  /** Workspace-relative path, sha256 and the text itself. */
  readonly pipeline: { readonly file: string; readonly sha256: string; readonly content: string };
  readonly git?: { readonly commit: string; readonly dirty: boolean };
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Workspace-relative path of each input file -> its sha256, or `missing`. */
  readonly inputs: Readonly<Record<string, string>>;
}

function git(args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile('git', args, { cwd, timeout: 5000, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout)),
  );
}

/** The commit the folder is at and whether its tree has changes; undefined outside a repository. */
export async function gitState(folder: string): Promise<RunRecord['git']> {
  const commit = (await git(['rev-parse', 'HEAD'], folder))?.trim();
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const status = await git(['status', '--porcelain', '--untracked-files=no'], folder);
  return { commit, dirty: (status ?? '').trim() !== '' };
}

/** The inputs of every step that no step writes (a reference to an output is not an input of the run), with their digests. */
async function inputDigests(
  plan: PipelinePlan,
  params: Readonly<Record<string, ParamValue>>,
  workspaceDir: string,
): Promise<Record<string, string>> {
  const written = new Set([...plan.byId.values()].flatMap((s) => s.outputs.map((o) => path.resolve(s.workdir, o.path))));
  const out: Record<string, string> = {};
  for (const id of plan.steps) {
    const step = plan.byId.get(id)!;
    for (const input of step.inputs) {
      if (/\$\{\{\s*(steps|outputs)\./.test(input)) continue;
      let pattern: string;
      try {
        pattern = resolveText({ plan, params, runId: '', runDir: '', env: {}, step }, input);
      } catch {
        continue; // an input naming an unset variable: the run itself says so
      }
      let files: string[];
      try {
        files = await expandInput(step.workdir, pattern);
      } catch (error) {
        if (!(error instanceof MissingInputError)) throw error;
        out[path.relative(workspaceDir, path.resolve(step.workdir, pattern)).split(path.sep).join('/')] = 'missing';
        continue;
      }
      for (const file of files) {
        if (written.has(file)) continue;
        out[path.relative(workspaceDir, file).split(path.sep).join('/')] = await hashFile(file);
      }
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The record of a run about to start, from the plan and its resolved params. `known.text` stands in
 * for the file (unsaved edits); `known.git`, when given, is the repository state already read.
 */
export async function runRecord(
  plan: PipelinePlan,
  params: Readonly<Record<string, ParamValue>>,
  workspaceDir: string,
  known: { text?: string | undefined; git?: RunRecord['git'] } = {},
): Promise<RunRecord> {
  const content = known.text ?? (await readFile(plan.file, 'utf8'));
  const state = 'git' in known ? known.git : await gitState(plan.folder);
  return {
    version: buildVersion(),
    pipeline: {
      file: path.relative(workspaceDir, plan.file).split(path.sep).join('/'),
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
    },
    ...(state ? { git: state } : {}),
    params: { ...params },
    inputs: await inputDigests(plan, params, workspaceDir),
  };
}

export async function writeRecord(artifactDir: string, record: RunRecord): Promise<void> {
  const file = path.join(artifactDir, RECORD_ARTIFACT);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** The record of a run from its artifacts on this machine; undefined when the run has none (a run from before records). */
export async function readRecord(artifactUri: string): Promise<RunRecord | undefined> {
  if (!artifactUri.startsWith('file:'))
    throw new Error(`the run's artifacts are at ${artifactUri}, not on this machine: reproduce it where it ran`);
  const file = path.join(fileURLToPath(artifactUri), RECORD_ARTIFACT);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as RunRecord;
}

/** What differs between a run's record and now, one sentence each ("data/churn.csv changed since that run"). */
export function recordDifferences(then: RunRecord, now: RunRecord): string[] {
  const out: string[] = [];
  if (then.pipeline.file !== now.pipeline.file) out.push(`the pipeline file was ${then.pipeline.file}; this is ${now.pipeline.file}`);
  else if (then.pipeline.sha256 !== now.pipeline.sha256) out.push(`${now.pipeline.file} changed since that run`);
  for (const [file, digest] of Object.entries(then.inputs)) {
    const current = now.inputs[file];
    if (current === undefined || current === 'missing') {
      if (digest !== 'missing') out.push(`${file} is gone since that run`);
    } else if (digest === 'missing') out.push(`${file} did not exist in that run`);
    else if (current !== digest) out.push(`${file} changed since that run`);
  }
  for (const file of Object.keys(now.inputs)) if (!(file in then.inputs)) out.push(`${file} is a new input since that run`);
  if (then.git && now.git && then.git.commit !== now.git.commit)
    out.push(
      `the repository is at ${now.git.commit.slice(0, 12)}; that run was at ${then.git.commit.slice(0, 12)}${then.git.dirty ? ' with uncommitted changes' : ''}`,
    );
  else if (then.git?.dirty) out.push(`that run had uncommitted changes, which its commit does not hold`);
  if (then.version !== now.version) out.push(`this is mlops ${now.version}; that run used ${then.version}`);
  return out;
}

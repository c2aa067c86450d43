import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { buildVersion } from '../../../../common/src/version';
import { UsageError } from '../../core/errors';
import { ExportError } from '../../core/export/stepScript';
import { SubmitError } from '../../core/export/submit/engineHttp';
import { ParamError, parseParamArgs } from '../../core/runner/params';
import { loadPipeline, PipelineInvalidError, type PipelinePlan } from '../../core/runner/plan';
import { Exit, type CliIO } from '../command';

// What `mlops export` and `mlops submit` read the same way: one pipeline file, --param pairs.

/** Who wrote an export: `mlops-workbench-<version>`. */
export const generator = () => `mlops-workbench-${buildVersion()}`;

/** The one pipeline file a command names, loaded and checked (PipelineInvalidError lists its problems). */
export async function pipelineArg(positionals: string[], io: CliIO, command: string): Promise<PipelinePlan> {
  if (positionals.length !== 1)
    throw new UsageError(`${command} takes one pipeline file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  return loadPipeline(path.resolve(io.cwd, positionals[0]!));
}

/** `--param NAME=VALUE` pairs; a malformed one is bad usage. */
export function paramArgs(values: Record<string, unknown>): Record<string, string> {
  try {
    return parseParamArgs((values.param as string[] | undefined) ?? []);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The repository's root: the folder holding `.git` above `folder`, else `folder` itself. */
export function repositoryRoot(folder: string): string {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return folder;
  }
}

/** The pipeline's folder relative to the root of the git repository holding it ('' at the root or outside one). */
export function folderInRepo(folder: string): string {
  return path.relative(repositoryRoot(folder), folder).split(path.sep).join('/');
}

/**
 * Runs an export or a submission: an invalid pipeline, an export's or a submission's own error is
 * the user's to fix (the message after `prefix`, exit 1); a bad param is bad usage (exit 2).
 */
export async function reportingUserErrors(io: CliIO, prefix: string, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return Exit.ok;
  } catch (error) {
    if (error instanceof PipelineInvalidError || error instanceof ExportError || error instanceof SubmitError) {
      io.err(`${prefix}: ${error.message}\n`);
      return Exit.problems;
    }
    if (error instanceof ParamError) throw new UsageError(error.message);
    throw error;
  }
}

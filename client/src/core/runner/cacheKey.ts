import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** Bump when the key's recipe changes, so old keys stop matching. */
const RECIPE = 'mlops-cache-v1';

export interface CacheKeyInput {
  readonly pipeline: string;
  readonly step: string;
  /** The resolved `run` command. */
  readonly command: string;
  /** The step's resolved env from the pipeline file (not the inherited process env). */
  readonly env: Readonly<Record<string, string>>;
  readonly workdir: string;
  /** Resolved `inputs`: paths, folders or globs, relative to the workdir. */
  readonly inputs: readonly string[];
  /** Declared output paths: changing where a step writes is a different step. */
  readonly outputs: readonly string[];
}

/** A missing input: the step cannot be cached (and will most likely fail on its own). */
export class MissingInputError extends Error {}

/**
 * The cache key of docs/formats.md (section Pipeline files): the resolved command, env and the contents of the
 * inputs. Files are hashed by content (sha256), folders by every file below
 * them, globs by their sorted matches; the workspace-relative names are part
 * of the key, so renaming an input misses too.
 */
export async function computeCacheKey(input: CacheKeyInput): Promise<string> {
  const hash = createHash('sha256');
  const line = (...parts: string[]) => hash.update(`${parts.join('\u0000')}\n`);
  line(RECIPE, input.pipeline, input.step, input.workdir);
  line('run', input.command);
  for (const key of Object.keys(input.env).sort()) line('env', key, input.env[key]!);
  for (const out of [...input.outputs].sort()) line('output', out);
  for (const pattern of input.inputs) {
    const files = await expandInput(input.workdir, pattern);
    line('input', pattern, String(files.length));
    for (const file of files) line('file', path.relative(input.workdir, file), await hashFile(file));
  }
  return hash.digest('hex');
}

/** The files an input names, sorted: one file, every file below a folder, or a glob's matches. */
export async function expandInput(workdir: string, pattern: string): Promise<string[]> {
  if (isDynamicPattern(pattern)) {
    const matches = await glob(pattern, {
      cwd: workdir,
      absolute: true,
      dot: false,
      onlyFiles: true,
      followSymbolicLinks: true,
      expandDirectories: false,
    });
    return matches.map((m) => path.resolve(m)).sort();
  }
  const absolute = path.resolve(workdir, pattern);
  let info;
  try {
    info = await stat(absolute);
  } catch {
    throw new MissingInputError(`input ${pattern} does not exist (looked for ${absolute})`);
  }
  if (!info.isDirectory()) return [absolute];
  const entries = await readdir(absolute, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

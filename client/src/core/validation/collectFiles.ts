import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { IGNORED_FOLDERS, kindOfPath } from '../../../../common/src';
import { UsageError } from '../errors';

/**
 * The files of our three kinds named by `paths`: a file is taken when its name
 * says its kind; a folder is walked, skipping the folders docs/formats.md (section Recognition) never
 * indexes. Results are sorted and free of repeats.
 */
export async function collectFiles(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${given}`);
    if (info.isDirectory()) {
      await walk(absolute, found);
    } else if (kindOfPath(absolute)) {
      found.add(absolute);
    } else {
      throw new UsageError(
        `${given} is not a pipeline, features or monitor file: names end in .pipeline.yaml, .features.yaml or .monitor.yaml (or .yml)`,
      );
    }
  }
  return [...found].sort();
}

async function walk(folder: string, found: Set<string>): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!IGNORED_FOLDERS.has(entry.name)) await walk(full, found);
    } else if (entry.isFile() && kindOfPath(entry.name)) {
      found.add(full);
    }
  }
}

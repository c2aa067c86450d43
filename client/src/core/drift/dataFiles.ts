/** Where the data of a drift check lives: a reference file, and current files or globs (all matches, concatenated). */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { dataFormat } from './dataTable';

/** A file or pattern that gives no data file; the message names it. */
export class DataFileError extends Error {}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function checkFormat(file: string, label: string): string {
  if (!dataFormat(file)) throw new DataFileError(`${label} ${file} is not a .csv or .parquet file`);
  return file;
}

export function resolveReference(file: string, cwd: string): string {
  const full = path.resolve(cwd, file);
  if (!isFile(full)) throw new DataFileError(`reference file not found: ${file}`);
  return checkFormat(full, 'reference');
}

/** Each entry a file or a glob; matches in path order, each file once. */
export async function resolveCurrent(entries: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.resolve(cwd, entry);
    let matches: string[];
    if (isFile(full)) matches = [full];
    else if (isDynamicPattern(entry)) {
      matches = (await glob(entry.split(path.sep).join('/'), { cwd, absolute: true, onlyFiles: true }))
        .map((f) => path.normalize(f))
        .sort();
      if (matches.length === 0) throw new DataFileError(`no file matches current pattern ${entry}`);
    } else throw new DataFileError(`current file not found: ${entry}`);
    for (const m of matches) if (!files.includes(m)) files.push(checkFormat(m, 'current'));
  }
  return files;
}

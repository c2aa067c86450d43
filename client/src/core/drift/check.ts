/**
 * A whole data drift check from paths, as a monitor file gives them: resolve the reference
 * file and the current files or globs (relative to `cwd`), read them, and report.
 */
import { resolveCurrent, resolveReference } from './dataFiles';
import { readTable, readTables } from './dataTable';
import { driftReport, type DriftOptions, type DriftReport } from './report';

export interface DriftCheckInput extends DriftOptions {
  /** The reference data file. */
  readonly reference: string;
  /** Current data files or globs; every match, concatenated. */
  readonly current: readonly string[];
  /** The folder relative paths start from (the monitor file's folder, or the CLI's cwd). */
  readonly cwd: string;
}

export interface DriftCheck {
  readonly referenceFile: string;
  readonly currentFiles: readonly string[];
  readonly report: DriftReport;
}

/** Throws DataFileError (a missing file, an empty glob) or DriftInputError (an unknown column). */
export async function checkDrift(input: DriftCheckInput): Promise<DriftCheck> {
  const referenceFile = resolveReference(input.reference, input.cwd);
  const currentFiles = await resolveCurrent(input.current, input.cwd);
  const [reference, current] = await Promise.all([readTable(referenceFile), readTables(currentFiles)]);
  return { referenceFile, currentFiles, report: driftReport(reference, current, input) };
}

/**
 * A whole data drift check from paths, as a monitor file gives them: resolve the reference
 * file and the current files or globs (relative to `cwd`), read them, and report.
 */
import { resolveCurrent, resolveReference } from './dataFiles';
import { openDriftData } from './driftData';
import { driftReportFrom, type DriftOptions, type DriftReport } from './report';

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
  // CSV is streamed: one column of both sides in memory at a time (driftData.ts).
  const data = await openDriftData(referenceFile, currentFiles);
  try {
    return { referenceFile, currentFiles, report: await driftReportFrom(data, input) };
  } finally {
    data.close();
  }
}

import type { DataColumns, WorkspaceView } from '../workspace/types';

/** What rules may ask of the world outside the document; every member is optional. */
export interface ValidationContext {
  /**
   * Whether `relativePath` (posix, relative to the folder of `documentUri`)
   * exists; undefined when it cannot be known (an untitled document).
   */
  fileExists?(documentUri: string, relativePath: string): boolean | undefined;
  /**
   * The columns of a CSV or Parquet file (relative to the folder of
   * `documentUri`); undefined when they cannot be read (no such file, another
   * format, an untitled document).
   */
  dataColumns?(documentUri: string, relativePath: string): DataColumns | undefined;
  /** The files a glob matches, relative to the folder of `documentUri`; undefined when unknown. */
  glob?(documentUri: string, pattern: string): readonly string[] | undefined;
  /**
   * The other files of the workspace. Without it, a document's references
   * resolve within the document alone.
   */
  workspace?: WorkspaceView;
  /** `mlops.export.warnMissingImage`: warn of steps without a container image (`missing-image`). */
  warnMissingImage?: boolean;
}

/** What rules may ask of the world outside the document; every member is optional. */
export interface ValidationContext {
  /**
   * Whether `relativePath` (posix, relative to the folder of `documentUri`)
   * exists; undefined when it cannot be known (an untitled document).
   */
  fileExists?(documentUri: string, relativePath: string): boolean | undefined;
}

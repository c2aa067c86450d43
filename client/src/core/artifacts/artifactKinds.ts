// How the Experiments view opens an artifact file, decided from its name and size alone.

/** Files larger than this ask before they are opened (or downloaded to be opened). */
export const LARGE_ARTIFACT_BYTES = 50 * 1024 * 1024;

/** The name of the file that makes a folder an MLflow model. */
export const MLMODEL_FILE = 'MLmodel';

const IMAGES = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp']);
const TEXT = new Set(['json', 'yaml', 'yml', 'txt', 'csv', 'tsv', 'md', 'log', 'html', 'xml', 'py', 'toml', 'ini', 'cfg']);

/**
 * `image`: VS Code's image preview; `text`: a text document (read-only when it comes from a
 * server); `model`: an MLflow MLmodel file, shown in the model panel; `file`: whatever VS Code
 * opens it with.
 */
export type ArtifactKind = 'image' | 'text' | 'model' | 'file';

export function artifactKind(relative: string): ArtifactKind {
  const name = relative.slice(relative.lastIndexOf('/') + 1);
  if (name === MLMODEL_FILE) return 'model';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (IMAGES.has(ext)) return 'image';
  if (TEXT.has(ext) || ['LICENSE', 'README', 'requirements.txt'].includes(name)) return 'text';
  return 'file';
}

/** Whether a file of `size` bytes asks before opening (an unknown size does not). */
export function isLargeArtifact(size: number | undefined): boolean {
  return size !== undefined && size > LARGE_ARTIFACT_BYTES;
}

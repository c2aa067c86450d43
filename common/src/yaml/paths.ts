/** A path that normalizePath would change: a backslash, an empty, `.` or `..` segment, a trailing slash. */
const NOT_NORMAL = /\\|\/\/|\/$|(^|\/)\.\.?(\/|$)/;

/** Posix normalisation of a workspace-relative path: `./a/../b/` -> `b`. */
export function normalizePath(path: string): string {
  // Most paths are normal already (a large pipeline has thousands of them).
  if (!NOT_NORMAL.test(path)) return path;
  const parts: string[] = [];
  const absolute = path.startsWith('/');
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return (absolute ? '/' : '') + parts.join('/');
}

/** `path` as seen from the pipeline file's folder, for a step running in `workdir`. */
export function fromPipelineFolder(workdir: string | undefined, path: string): string {
  if (path.startsWith('/')) return normalizePath(path);
  return normalizePath(workdir ? `${workdir}/${path}` : path);
}

/** A path with glob characters or an expression is not a literal file name. */
export function isLiteralPath(path: string): boolean {
  return !/[*?[\]{}]/.test(path) && !path.includes('${{') && path.trim() !== '';
}

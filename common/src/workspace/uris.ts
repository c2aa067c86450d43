import { normalizePath } from '../yaml/paths';

/** The decoded posix path of a `file:` URI (`file:///a%20b/c` -> `/a b/c`), or undefined for other schemes. */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file://')) return undefined;
  try {
    return decodeURIComponent(
      uri
        .slice('file://'.length)
        .replace(/^\/([A-Za-z]):/, '$1:')
        .replace(/[?#].*$/, ''),
    );
  } catch {
    return undefined;
  }
}

/** `relative` as seen from the folder of the file at `uri`, as a decoded absolute path. */
export function resolveFrom(uri: string, relative: string): string | undefined {
  const base = pathOfUri(uri);
  if (base === undefined) return undefined;
  if (relative.startsWith('/')) return normalizePath(relative);
  const folder = base.slice(0, base.lastIndexOf('/'));
  return normalizePath(`${folder}/${relative}`);
}

/** The path of `target` relative to the folder of the file at `fromUri` (`../p/a.pipeline.yaml`). */
export function relativePath(fromUri: string, target: string): string | undefined {
  const base = pathOfUri(fromUri);
  if (base === undefined) return undefined;
  const from = base.split('/').slice(0, -1);
  const to = target.split('/');
  let i = 0;
  while (i < from.length && i < to.length && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

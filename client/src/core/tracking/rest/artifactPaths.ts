import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RestError } from './errors';

/**
 * Checks a client-supplied artifact path and returns its normalised relative form. Refused:
 * absolute paths, drive letters, backslashes, `.`/`..` segments, NUL, and percent-encoding left
 * after the one decoding the URL had (a double-encoded `..` would otherwise slip through).
 */
export function safeRelativePath(raw: string): string {
  const fail = () =>
    new RestError(400, 'INVALID_PARAMETER_VALUE', `Invalid path: '${raw}'. Artifact paths are relative and may not contain '..'.`);
  if (raw.includes('\0') || raw.includes('\\') || /%[0-9a-fA-F]{2}/.test(raw)) throw fail();
  if (raw.startsWith('/') || /^[a-zA-Z]:/.test(raw)) throw fail();
  const parts = raw.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.')) throw fail();
  return parts.join('/');
}

function inside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The deepest existing ancestor of `target`, resolved through symlinks. */
async function realAncestor(target: string): Promise<string> {
  let current = target;
  for (;;) {
    try {
      return await fs.realpath(current);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/**
 * The absolute path of `relative` under `root`, refused with 403 when a symlink on the way leads
 * out of the root (the artifact store never serves or writes outside it).
 */
export async function resolveUnder(root: string, relative: string): Promise<string> {
  const target = path.join(root, relative);
  const realRoot = await realAncestor(root);
  const real = await realAncestor(target);
  if (!inside(realRoot, real)) throw new RestError(403, 'PERMISSION_DENIED', `Access to '${relative}' is outside the artifact root.`);
  return target;
}

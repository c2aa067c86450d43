import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidationContext } from '../validation/context';

/** How long an answer about a path is reused: validation after each keystroke must not stat thousands of files. */
const TTL_MS = 2000;

/**
 * The validation context of the server and the CLI: paths are checked on
 * disk relative to the document's folder. Only `file:` documents can be
 * checked; an untitled one answers "unknown".
 */
export function nodeValidationContext(now: () => number = Date.now): ValidationContext {
  const seen = new Map<string, { exists: boolean; at: number }>();
  return {
    fileExists(documentUri, relativePath) {
      if (!documentUri.startsWith('file:')) return undefined;
      const file = path.resolve(path.dirname(fileURLToPath(documentUri)), relativePath);
      const cached = seen.get(file);
      const time = now();
      if (cached && time - cached.at < TTL_MS) return cached.exists;
      const exists = existsSync(file);
      if (seen.size > 50_000) seen.clear();
      seen.set(file, { exists, at: time });
      return exists;
    },
  };
}

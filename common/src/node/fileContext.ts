import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidationContext } from '../validation/context';

/**
 * The validation context of the server and the CLI: paths are checked on
 * disk relative to the document's folder. Only `file:` documents can be
 * checked; an untitled one answers "unknown".
 */
export const nodeValidationContext: ValidationContext = {
  fileExists(documentUri, relativePath) {
    if (!documentUri.startsWith('file:')) return undefined;
    const folder = path.dirname(fileURLToPath(documentUri));
    return existsSync(path.resolve(folder, relativePath));
  },
};

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { expandInput, hashFile } from './cacheKey';

/**
 * sha256 over a step's declared outputs (files by content, folders by every
 * file below them), as a successful execution left them. A later cache hit
 * needs the same digest: outputs overwritten by another run with other params
 * must not pass for this execution's.
 */
export async function outputsDigest(outputs: readonly string[]): Promise<string | undefined> {
  const hash = createHash('sha256');
  // Contents only (the paths are part of the cache key already), so two copies of one model compare equal.
  for (const [index, output] of [...outputs].sort().entries()) {
    if (!existsSync(output)) return undefined;
    const files = await expandInput(path.dirname(output), path.basename(output));
    hash.update(`${index}\u0000${files.length}\n`);
    for (const file of files) hash.update(`${path.relative(output, file)}\u0000${await hashFile(file)}\n`);
  }
  return hash.digest('hex');
}

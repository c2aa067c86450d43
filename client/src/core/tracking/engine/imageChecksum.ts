import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { tempPathFor } from './durableFs';

// `PRAGMA quick_check` reads every page: about 0.4 s for a 1M-point database, most of the reopen budget.
// So each save also records the image's size and CRC-32 in `tracking.db.sum`; an image that still
// matches is exactly what a successful export wrote and needs no check. The sidecar is written after
// the image's rename and is not synced: a missing or stale one only sends the next open to quick_check.

interface Checksum {
  size: number;
  crc32: number;
}

export const checksumFile = (db: string) => `${db}.sum`;

/** Best effort: failing only costs the next open the scan. */
export function recordChecksum(db: string, image: Uint8Array): void {
  const checksum: Checksum = { size: image.length, crc32: crc32(image) };
  const temp = tempPathFor(checksumFile(db));
  try {
    writeFileSync(temp, JSON.stringify(checksum));
    renameSync(temp, checksumFile(db));
  } catch {
    // see above
  }
}

/** Whether `image` (the bytes of `db`) is the one the last save wrote. */
export function matchesChecksum(db: string, image: Uint8Array): boolean {
  try {
    const recorded = JSON.parse(readFileSync(checksumFile(db), 'utf8')) as Partial<Checksum>;
    return recorded.size === image.length && recorded.crc32 === crc32(image);
  } catch {
    return false;
  }
}

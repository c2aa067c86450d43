// The 10-numeric-column CSV pair of the large drift benchmark, written fast (digits by hand, no
// toFixed) and deterministically (the LCG of generate_vectors.py). Files are kept between runs in
// $MLOPS_BENCH_DATA (default <tmpdir>/mlops-bench-drift-data) under a name with the row count and
// a format version, and reused when present: a 10M-row pair is about 1.6 GB and takes a minute to write.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const LARGE_COLUMNS = 10;
const VERSION = 1;

export function dataDir(): string {
  return process.env.MLOPS_BENCH_DATA ?? path.join(tmpdir(), 'mlops-bench-drift-data');
}

/** Column c: a sum of four uniforms times (c + 1) * 10, 4 decimals; the current side shifts columns 0-3 by 0.02 * (c + 1). */
function writeSide(file: string, rows: number, seed: number, shift: boolean): void {
  let state = seed;
  const u = () => (state = (state * 1664525 + 1013904223) % 4294967296) / 4294967296;
  const fd = openSync(file + '.part', 'w');
  const buf = Buffer.alloc(1 << 22);
  let at = buf.write(Array.from({ length: LARGE_COLUMNS }, (_, c) => `x${c}`).join(',') + '\n');
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < LARGE_COLUMNS; c++) {
      const x = (u() + u() + u() + u()) * (c + 1) * 10 + (shift && c < 4 ? 0.02 * (c + 1) : 0);
      let v = Math.round(x * 10000);
      // integer part, then 4 decimals
      const int = Math.floor(v / 10000);
      let frac = v - int * 10000;
      if (int === 0) buf[at++] = 48;
      else {
        const from = at;
        for (v = int; v > 0; v = Math.floor(v / 10)) buf[at++] = 48 + (v % 10);
        buf.subarray(from, at).reverse();
      }
      buf[at++] = 46;
      for (let d = 1000; d >= 1; d /= 10) {
        const digit = Math.floor(frac / d);
        buf[at++] = 48 + digit;
        frac -= digit * d;
      }
      buf[at++] = c === LARGE_COLUMNS - 1 ? 10 : 44;
    }
    if (at > buf.length - 1024) {
      writeSync(fd, buf, 0, at);
      at = 0;
    }
  }
  writeSync(fd, buf, 0, at);
  closeSync(fd);
  renameSync(file + '.part', file);
}

/** The pair for `rows`, written unless already there. */
export function largePair(rows: number): { reference: string; current: string; reused: boolean } {
  const dir = dataDir();
  mkdirSync(dir, { recursive: true });
  const reference = path.join(dir, `v${VERSION}-${rows}-reference.csv`);
  const current = path.join(dir, `v${VERSION}-${rows}-current.csv`);
  const reused = existsSync(reference) && existsSync(current);
  if (!existsSync(reference)) writeSide(reference, rows, 21, false);
  if (!existsSync(current)) writeSide(current, rows, 22, true);
  return { reference, current, reused };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LogLevel } from '../../client/src/core/tracking/engine/contract';

/** Fresh workspace folders for store tests, removed by `cleanup`. */
export function tempWorkspace(): { dirs: () => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    dirs: () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlops-store-'));
      made.push(dir);
      return dir;
    },
    cleanup: () => {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A store `log` that keeps its lines, as "level: message". */
export function logCollector(): { log: (level: LogLevel, message: string) => void; lines: string[]; text: () => string } {
  const lines: string[] = [];
  return { log: (level, message) => lines.push(`${level}: ${message}`), lines, text: () => lines.join('\n') };
}

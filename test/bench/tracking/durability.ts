// Group commit against no sync (issue 20, "Durability of what we acknowledge"): REST runs/log-batch with
// one client, the store acknowledging once the journal line is on disk (`fsync`, one fdatasync shared by
// the writes of a turn) and once it is in the page cache (`process`), in the same run, alternating so
// both see the same machine load. Prints the figures, asserts nothing.
// Usage: npx tsx test/bench/tracking/durability.ts [rounds]   (run.ts runs two rounds too)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Durability } from '../../../client/src/core/tracking/engine/journal';
import { logThroughRest } from './rest';
import { formatMs, formatRate, TOTAL_POINTS } from './workload';

const line = (label: string, value: string) => console.log(`  ${label.padEnd(48)} ${value}`);

/** Logs the workload through REST with one client under each durability, `rounds` times; prints each and the best. */
export async function compareDurability(rounds: number): Promise<void> {
  const best: Record<Durability, number> = { fsync: Infinity, process: Infinity };
  for (let round = 1; round <= rounds; round++) {
    for (const durability of round % 2 ? (['fsync', 'process'] as const) : (['process', 'fsync'] as const)) {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-durability-'));
      try {
        const rest = await logThroughRest(dir, 1, durability);
        best[durability] = Math.min(best[durability], rest.ms);
        line(
          `round ${round}: ${durability}`,
          `${formatRate(TOTAL_POINTS, rest.ms)} (${formatMs(rest.ms)}; p99 request ${formatMs(rest.p99Ms)})`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const ratio = ((best.process / best.fsync) * 100).toFixed(0);
  line('best, fsync (acknowledged on disk)', `${formatRate(TOTAL_POINTS, best.fsync)} (goal >= 100,000 points/s)`);
  line('best, process (acknowledged in the page cache)', formatRate(TOTAL_POINTS, best.process));
  line('fsync as a share of process', `${ratio}% (goal >= 80%)`);
}

if (require.main === module) {
  const rounds = Number(process.argv[2] ?? 3);
  console.log(
    `durability benchmark: ${TOTAL_POINTS.toLocaleString('en-US')} points through REST runs/log-batch, 1 client, ${rounds} rounds; tmpdir ${tmpdir()}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  compareDurability(rounds).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

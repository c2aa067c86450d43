import { describe, it } from 'node:test';
import { chaosSeed, describeIteration, runChaos } from '../helpers/trackingChaos';

// The tracking store's chaos test at a small count (test/bench/tracking/chaos.ts runs 200): each
// iteration SIGKILLs a REST writer with three clients at once, at a random moment or mid-append,
// before a group's fdatasync, mid-seal of the journal, with a temp image written, or after its rename;
// then every acknowledged point, param, tag and registry change must be there exactly once, and
// integrity_check ok. Fixed seed; MLOPS_CHAOS_SEED=random (or a number) for another, printed.

const ITERATIONS = Number(process.env['MLOPS_CHAOS_ITERATIONS'] ?? 8);

describe('tracking store: chaos (SIGKILL under concurrent REST writers)', () => {
  it(`loses and duplicates nothing acknowledged across ${ITERATIONS} kills`, { timeout: 300_000 }, async (t) => {
    const seed = chaosSeed();
    t.diagnostic(`seed ${seed} (MLOPS_CHAOS_SEED=${seed} repeats this run)`);
    const summary = await runChaos({ iterations: ITERATIONS, seed, report: (r) => t.diagnostic(describeIteration(r)) });
    t.diagnostic(`${summary.ackedPoints} points and ${summary.ackedOther} other items acknowledged, all found once`);
  });
});

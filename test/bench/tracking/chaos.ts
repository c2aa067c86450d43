// The tracking store's chaos run at full count (issue 20, "Faults at random"): 200 SIGKILLs of a REST
// writer with three concurrent clients, at random moments and at chosen points of the engine (mid-append,
// before a group's fdatasync, mid-seal of the journal, with a temp image written, after its rename), each
// followed by a reopen that must find every acknowledged item exactly once and pass integrity_check.
// test/integration/trackingChaos.test.ts runs the same at a small count in `npm test`.
// Usage: npx tsx test/bench/tracking/chaos.ts [iterations]   (MLOPS_CHAOS_SEED=random|<n> for another seed)
import { loadavg } from 'node:os';
import { chaosSeed, describeIteration, runChaos } from '../../helpers/trackingChaos';

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 200);
  const seed = chaosSeed();
  console.log(`chaos: ${iterations} iterations, seed ${seed} (MLOPS_CHAOS_SEED=${seed} repeats it); load ${loadavg()[0]?.toFixed(1)}`);
  const started = performance.now();
  const summary = await runChaos({ iterations, seed, report: (r) => console.log(describeIteration(r)) });
  const byTarget = new Map<string, { kills: number; landed: number }>();
  for (const r of summary.iterations) {
    const t = byTarget.get(r.target) ?? { kills: 0, landed: 0 };
    t.kills++;
    if (r.landed) t.landed++;
    byTarget.set(r.target, t);
  }
  // "label   value" lines: the benchmark report (test/bench/report/parse.ts) keeps them as its table.
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(46)} ${value}`);
  console.log('');
  line('kills', `${summary.iterations.length} in ${((performance.now() - started) / 1000).toFixed(0)} s, seed ${seed}`);
  for (const [target, t] of byTarget) line(`  at ${target}`, `${t.kills} kills, ${t.landed} landed where aimed`);
  const torn = summary.iterations.filter((r) => r.recovery.tornTails.length > 0).length;
  line('reopens that moved a torn journal tail aside', String(torn));
  line(
    'acknowledged',
    `${summary.ackedPoints.toLocaleString('en-US')} points, ${summary.ackedOther.toLocaleString('en-US')} params, tags, runs and registry changes`,
  );
  // runChaos throws at the first item lost or duplicated, or a failed integrity_check: reaching here means none.
  line('lost, duplicated', '0, 0');
  line('integrity_check', 'ok after every kill and every reopen');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

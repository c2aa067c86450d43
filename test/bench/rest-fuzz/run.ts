// The REST fuzz at full size (issue 20): 20,000 generated and mutated MLflow requests against the
// real `mlops serve`. Prints its figures; exits 1 when an answer was wrong, a write was lost or
// invented, or the store fails its integrity check. npm test runs the same fuzz at a smaller count
// (test/integration/restFuzz.test.ts).
// Usage: npm run build && npx tsx test/bench/rest-fuzz/run.ts [count]   (MLOPS_REST_FUZZ_SEED=<n>|random)
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { ROOT } from '../../helpers/cli';
import { percentile, seedFromEnv } from '../../helpers/lspRandom';
import { fuzzWorkspace, integrityAfterStop, normalRequestMs, runFuzz, verifyAcknowledged } from '../../helpers/restFuzz';

const COUNT = Number(process.argv[2] ?? 20_000);
const SEED = seedFromEnv('MLOPS_REST_FUZZ_SEED', 20_2026);
const line = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);

async function main(): Promise<void> {
  console.log(
    `REST fuzz benchmark (Node ${process.version}); machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; seed ${SEED}`,
  );
  const setup = await fuzzWorkspace();
  let bad: number;
  try {
    const started = performance.now();
    const report = await runFuzz({
      target: setup.target,
      pool: setup.pool,
      seed: SEED,
      count: COUNT,
      root: ROOT,
      timeoutMs: 15_000,
      onProgress: (done) => {
        if (done % 5000 === 0) console.log(`  ... ${done} sent`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    line('requests', `${report.sent} in ${seconds.toFixed(1)} s (${(report.sent / seconds).toFixed(0)}/s, 8 at a time)`);
    line(
      'answers by status',
      [...report.byStatus]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', '),
    );
    line(
      'latency p50 / p99 / slowest',
      `${percentile(report.latencies, 50).toFixed(1)} / ${percentile(report.latencies, 99).toFixed(1)} / ${report.slowest.ms.toFixed(0)} ms`,
    );
    line('slowest request', report.slowest.label);
    line('wrong answers (5xx, hang, not MLflow-shaped)', String(report.failures.length));
    for (const failure of report.failures.slice(0, 20)) console.log(`    ${failure}`);
    const verified = await verifyAcknowledged(setup.target, setup.pool, report.model);
    line('stored values read back', `${verified.checked}; differences from what was acknowledged: ${verified.problems.length}`);
    for (const problem of verified.problems.slice(0, 20)) console.log(`    ${problem}`);
    const ms = await normalRequestMs(setup.target, setup.pool.runIds[0]!);
    line('a normal request after the run (goal <= 100 ms)', `${ms.toFixed(1)} ms (median of 20 runs/get)`);
    line('mlops serve still running', String(setup.serving.process.exitCode === null));
    const integrity = await integrityAfterStop(setup.serving, setup.ws);
    line('PRAGMA integrity_check', integrity);
    bad = report.failures.length + verified.problems.length + (integrity === 'ok' ? 0 : 1);
  } finally {
    if (setup.serving.process.exitCode === null) setup.serving.process.kill('SIGKILL');
    rmSync(setup.ws, { recursive: true, force: true });
    rmSync(setup.outside, { recursive: true, force: true });
  }
  if (bad > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

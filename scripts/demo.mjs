// `npm run demo`: validates the churn sample with the mlops CLI, runs its pipeline twice on the
// sample's own workspace store (samples/churn/.mlops: a fresh execution, then the cached one), checks
// its drift monitor, then validates a broken copy, so the output shows what CI and the editor report. Exits non-zero if any
// result is wrong.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const cli = path.resolve('client/out/cli.js');
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

function mlops(args, cwd) {
  console.log(bold(`\n$ mlops ${args.join(' ')}`));
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: 'inherit' });
  console.log(`(exit ${result.status})`);
  return result.status;
}

console.log(bold('MLOps Workbench demo: the churn sample (samples/churn)'));
const clean = mlops(['validate', 'samples/churn'], process.cwd());

console.log(
  bold(
    '\nRun the pipeline (training set from the feature store -> preprocess -> train -> evaluate), tracked in samples/churn/.mlops/tracking.db; --no-cache so every step executes.',
  ),
);
const first = mlops(['run', 'churn.pipeline.yaml', '--no-cache', '--quiet'], 'samples/churn');
console.log(bold('\nRun it again: nothing changed, so every step reuses the first run and no duplicate model version is registered.'));
const second = mlops(['run', 'churn.pipeline.yaml', '--quiet'], 'samples/churn');
mlops(['models', 'list'], 'samples/churn');
console.log(
  bold('\nCheck the drift monitor: the incoming batch (data/incoming) has drifted, so it exits 1 and names the retraining pipeline.'),
);
const monitor = mlops(['monitor', 'churn.monitor.yaml'], 'samples/churn');

const scratch = mkdtempSync(path.join(tmpdir(), 'mlops-demo-'));
const copy = path.join(scratch, 'churn-broken');
cpSync('samples/churn', copy, { recursive: true });
const edit = (file, from, to) => {
  const full = path.join(copy, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`demo: ${file} no longer contains ${JSON.stringify(from)}`);
  writeFileSync(full, text.replace(from, to));
};
edit('churn.pipeline.yaml', 'needs: [train]', 'needs: [train');
edit('customer.features.yaml', '    owner: ml@example.com\n', '    owner: ml@example.com\n    ttl: 2d\n');
edit('churn.monitor.yaml', 'schedule: 1h\n', 'schedule: 1h\nschedule: 6h\n');
console.log(
  bold('\nA broken copy: an unclosed `[` in the pipeline, a repeated `ttl` in a feature view, a repeated `schedule` in the monitor.'),
);
const broken = mlops(['validate', '.'], copy);
rmSync(scratch, { recursive: true, force: true });

const ok = clean === 0 && first === 0 && second === 0 && monitor === 1 && broken === 1;
console.log(
  bold(
    ok
      ? '\nDemo finished: the sample is clean (exit 0), its pipeline ran and registered a model, the rerun was cached, the monitor found the drift, and the broken copy fails with its diagnostics (exit 1).\nSee the runs with: node client/out/cli.js runs list --workspace samples/churn'
      : '\nDemo FAILED: unexpected exit codes.',
  ),
);
process.exitCode = ok ? 0 : 1;

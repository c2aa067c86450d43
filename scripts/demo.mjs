// `npm run demo`: validates the churn sample with the mlops CLI, then a broken copy of it,
// so the output shows what CI and the editor report. Exits non-zero if either result is wrong.
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
console.log(bold('\nA broken copy: an unclosed `[` in the pipeline, a repeated `ttl` in a feature view, a repeated `schedule` in the monitor.'));
const broken = mlops(['validate', '.'], copy);
rmSync(scratch, { recursive: true, force: true });

const ok = clean === 0 && broken === 1;
console.log(bold(ok ? '\nDemo finished: the sample is clean (exit 0) and the broken copy fails with its diagnostics (exit 1).' : '\nDemo FAILED: unexpected exit codes.'));
process.exitCode = ok ? 0 : 1;

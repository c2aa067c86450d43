// Runs the *.test.ts files under the given folders with node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [--serial] [--timeout=MS] folder...
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

const args = process.argv.slice(2);
const serial = args.includes('--serial');
const timeout = args.find((a) => a.startsWith('--timeout='))?.split('=')[1];
const folders = args.filter((a) => !a.startsWith('--'));

function collect(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'artifacts') collect(full, out);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const files = folders
  .filter((f) => existsSync(f))
  .flatMap((f) => collect(f, []))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts files under ${folders.join(', ')}`);
  process.exit(1);
}
const nodeArgs = ['--import', 'tsx', '--test', '--test-reporter=spec'];
if (serial) nodeArgs.push('--test-concurrency=1');
if (timeout) nodeArgs.push(`--test-timeout=${timeout}`);
const result = spawnSync(process.execPath, [...nodeArgs, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);

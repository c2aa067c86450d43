// Builds production bundles and packs the one .vsix at the repo root (kept under 3 MB).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const MAX_BYTES = 3 * 1024 * 1024;
const run = (args) => {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

for (const old of readdirSync('.').filter((f) => f.endsWith('.vsix'))) rmSync(old);
run(['scripts/build.mjs', '--production']);
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${name}-${version}.vsix`;
const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
// Bundled: the runtime dependencies are inside the bundles, so none are packed.
run([vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out]);
const size = statSync(out).size;
console.log(`package: ${out} ${(size / 1024).toFixed(0)} KiB`);
if (size > MAX_BYTES) {
  console.error(`package: ${out} is over the 3 MB budget`);
  process.exit(1);
}

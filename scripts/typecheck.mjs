// `tsc --noEmit` for each part, each with its own environment (see the tsconfig.json files).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const parts = ['common', 'server', 'client', 'webviews', 'test'].filter((p) => existsSync(`${p}/tsconfig.json`));
let failed = false;
for (const part of parts) {
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', `${part}/tsconfig.json`], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`typecheck: ${part} has type errors`);
    failed = true;
  }
}
if (!failed) console.log(`typecheck: ${parts.join(', ')} clean`);
process.exitCode = failed ? 1 : 0;

import { errorStack } from '../../common/src/errors';
// Set by the launcher steps call (core/runner/mlopsShim.ts) so the editor's Electron runs as Node; not for this CLI's own children.
delete process.env.ELECTRON_RUN_AS_NODE;
import { runCli } from './cli/main';

// The `mlops` bin: streams and exit code are the only process-level effects.
runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mlops: ${errorStack(error)}\n`);
    process.exitCode = 2;
  },
);

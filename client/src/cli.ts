import { errorStack } from '../../common/src/errors';
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

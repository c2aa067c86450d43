import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** How to start a worker: a script file, or (from TypeScript sources) a bootstrap evaluated as code. */
export interface WorkerLaunch {
  script: string;
  eval: boolean;
}

/**
 * Finds the engine's worker. The bundles run `bundled` (client/out/trackingWorker.js, next to
 * extension.js and cli.js). Code running from TypeScript sources under tsx (the tests, the benchmark)
 * runs `source` through tsx's require hook instead, so it never picks up a stale build.
 */
export function locateWorker(options: { bundled: string; source: string; fromSource: boolean; what?: string }): WorkerLaunch {
  if (options.fromSource && existsSync(options.source)) {
    // Resolved from here, not by the bundler: tsx is a dev dependency that only source runs have.
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    const bootstrap = `require(${JSON.stringify(tsx)}); require(${JSON.stringify(options.source)});`;
    return { script: bootstrap, eval: true };
  }
  if (existsSync(options.bundled)) return { script: options.bundled, eval: false };
  throw new Error(`${options.what ?? "The tracking store's worker"} is missing: ${options.bundled} (run \`npm run build\`)`);
}

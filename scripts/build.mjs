// Bundles every entry point with esbuild (types are checked by `npm run typecheck`).
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  define: { MLOPS_VERSION: JSON.stringify(version) },
};

// The yaml package's parser reads process.env.LOG_TOKENS for every token (LOG_STREAM for every document):
// an environment lookup each time, about a third of the time spent reading a large file. Both only turn
// on debug logging, so the bundles read them as off.
const yamlDebugOff = {
  name: 'yaml-debug-off',
  setup(build) {
    build.onLoad({ filter: /[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/node_process\.env\.LOG_(TOKENS|STREAM)/g, 'false'),
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

// The server bundles the yaml package's ES module build (`browser/`: the same code, without the debug
// switches above): as CommonJS, every call of ours into the package (`isMap`, `isScalar`…) went through
// an interop getter, a tenth of the first validation of a 5,000-step pipeline; as modules they are direct.
const yamlAsModules = {
  name: 'yaml-as-modules',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: path.join(root, 'node_modules/yaml/browser/index.js') }));
  },
};

// ESM-only dependencies (fdir under tinyglobby) read `import.meta.url`, which a CJS bundle lacks: give them this file's URL.
const importMetaUrl = "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;";
const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  define: { ...common.define, 'import.meta.url': '__importMetaUrl' },
  banner: { js: importMetaUrl },
  plugins: [yamlDebugOff],
};

/** One browser bundle per webview: webviews/src/<name>/main.ts -> webviews/out/<name>.js */
const webviewDir = path.join(root, 'webviews/src');
const webviewEntries = existsSync(webviewDir)
  ? readdirSync(webviewDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(webviewDir, d.name, 'main.ts')))
      .map((d) => ({ in: `webviews/src/${d.name}/main.ts`, out: d.name }))
  : [];

const builds = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js' },
  { ...node, entryPoints: ['client/src/cli.ts'], outfile: 'client/out/cli.js', banner: { js: `#!/usr/bin/env node\n${importMetaUrl}` } },
  { ...node, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js', plugins: [yamlAsModules] },
  // The tracking store's engine runs in a worker thread; the store finds it beside extension.js and cli.js.
  { ...node, entryPoints: ['client/src/core/tracking/engine/worker.ts'], outfile: 'client/out/trackingWorker.js' },
  // Drift checks read and test data in a worker of their own, beside extension.js.
  { ...node, entryPoints: ['client/src/core/monitor/dataDriftWorker.ts'], outfile: 'client/out/driftWorker.js' },
  // Large CSV drift checks parse and sort each side in a worker, beside the bundle that checks.
  { ...node, entryPoints: ['client/src/core/drift/sideWorker.ts'], outfile: 'client/out/driftSideWorker.js' },
  // The point-in-time join reads and indexes each view's source in a worker, beside cli.js.
  { ...node, entryPoints: ['client/src/core/features/joinWorker.ts'], outfile: 'client/out/featureJoinWorker.js' },
];

if (webviewEntries.length > 0) {
  builds.push({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: webviewEntries, outdir: 'webviews/out' });
}

// sql.js loads its wasm from a file beside the bundle that runs it (never from the network).
const WASM = 'node_modules/sql.js/dist/sql-wasm.wasm';
function copyAssets() {
  mkdirSync(path.join(root, 'client/out'), { recursive: true });
  copyFileSync(path.join(root, WASM), path.join(root, 'client/out/sql-wasm.wasm'));
}

copyAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  const outputs = builds
    .flatMap((b) => (b.outfile ? [b.outfile] : webviewEntries.map((e) => `webviews/out/${e.out}.js`)))
    .concat('client/out/sql-wasm.wasm');
  console.log(`build: ${outputs.join(', ')} in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}

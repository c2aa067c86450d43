/** Defined by scripts/build.mjs (esbuild `define`) as package.json's version; absent when the sources run directly (tests). */
declare const MLOPS_VERSION: string | undefined;

/** The version of this build: package.json's, or `dev` when not bundled. */
export function buildVersion(): string {
  return typeof MLOPS_VERSION === 'string' ? MLOPS_VERSION : 'dev';
}

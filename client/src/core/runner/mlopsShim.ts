import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

// Steps may call `mlops` themselves (`mlops features historical` to build a training set). They get
// the CLI of the editor or the `mlops` that runs them, whatever else is installed: a launcher in
// `.mlops/bin`, first on the steps' PATH, as `npm run` puts node_modules/.bin first.

/** The CLI bundle: beside the bundle that runs (client/out), else the built one when running from sources. */
export function cliScript(): string | undefined {
  return [path.join(__dirname, 'cli.js'), path.resolve(__dirname, '../../../out/cli.js')].find((file) => existsSync(file));
}

/** A POSIX shell word: single-quoted, a quote inside as '\''. */
const shellWord = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The launcher's text: this process's Node (Electron as Node in the editor) running `script`. */
export function launcherText(node: string, script: string, windows: boolean): string {
  if (windows) return `@echo off\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${node}" "${script}" %*\r\n`;
  return `#!/bin/sh\n# Written by MLOps Workbench for pipeline steps: the mlops CLI that runs them.\nELECTRON_RUN_AS_NODE=1 exec ${shellWord(node)} ${shellWord(script)} "$@"\n`;
}

/**
 * Writes `<workspace>/.mlops/bin/mlops` (and `mlops.cmd` on Windows) and
 * returns the folder; undefined when no CLI bundle is found. Written to a
 * temporary name and renamed, so two runs starting together never see half a file.
 */
export async function writeMlopsLauncher(workspaceDir: string, script = cliScript(), node = process.execPath): Promise<string | undefined> {
  if (!script) return undefined;
  const dir = path.join(workspaceDir, '.mlops', 'bin');
  await mkdir(dir, { recursive: true });
  const windows = process.platform === 'win32';
  const file = path.join(dir, windows ? 'mlops.cmd' : 'mlops');
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, launcherText(node, script, windows));
  await chmod(temporary, 0o755);
  await rename(temporary, file);
  return dir;
}

/** `env` with `dir` first on its PATH (whatever the case of the variable's name). */
export function withFirstOnPath(env: Record<string, string | undefined>, dir: string): Record<string, string | undefined> {
  const name = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const current = env[name];
  return { ...env, [name]: current ? `${dir}${path.delimiter}${current}` : dir };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunInfo } from '../../core/tracking/repository';
import type { RemoteArtifacts } from '../../core/tracking/remote/artifacts';

/** Every file and folder of a run on a team server (paths from the artifact root, folders first at each level). */
export async function listRemoteArtifacts(
  artifacts: RemoteArtifacts,
  runId: string,
  relative = '',
  limit = 2000,
): Promise<{ files: string[]; dirs: string[] }> {
  const files: string[] = [];
  const dirs: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await artifacts.list(runId, folder)) {
      if (files.length >= limit) return;
      if (entry.isDir) {
        dirs.push(entry.path);
        await walk(entry.path);
      } else files.push(entry.path);
    }
  };
  await walk(relative);
  return { files, dirs };
}

/** `relative` under `base`, refusing anything that would land outside it. */
function inside(base: string, relative: string): string {
  const target = path.resolve(base, ...relative.split('/'));
  if (target !== base && !target.startsWith(base + path.sep)) throw new Error(`artifact path ${relative} leaves its folder`);
  return target;
}

/** Downloads one artifact file of a run into `<folder>/<relative>`; returns the local path. */
export async function downloadArtifact(artifacts: RemoteArtifacts, run: RunInfo, relative: string, folder: string): Promise<string> {
  const target = inside(folder, relative);
  const data = await artifacts.download(run.artifact_uri, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, data);
  return target;
}

/** Where the editor keeps the artifact files it downloaded to open them: one folder per run, in the temporary folder. */
export function downloadFolder(runId: string): string {
  return path.join(tmpdir(), 'mlops-artifacts', runId.replace(/[^\w.-]/g, '_'));
}

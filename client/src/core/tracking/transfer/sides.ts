import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactTransfer } from '../remote/artifacts';
import type { RemoteStore } from '../remote/remoteStore';
import type { RunInfo, TrackingApi } from '../repository';

/** One end of a copy between stores: its operations, and its runs' artifact files. */
export interface StoreSide {
  readonly api: TrackingApi;
  /** Where it is, for messages: the workspace folder or the server's URL. */
  readonly label: string;
  /** Every artifact file of the run, as paths relative to its artifact root. */
  listArtifacts(run: RunInfo): Promise<string[]>;
  readArtifact(run: RunInfo, relative: string): Promise<Buffer>;
  writeArtifact(run: RunInfo, relative: string, data: Buffer): Promise<void>;
}

/** The workspace store: artifacts in `file:` folders on this machine. */
export function workspaceSide(api: TrackingApi, label: string): StoreSide {
  const root = (run: RunInfo) => {
    if (!run.artifact_uri.startsWith('file:'))
      throw new Error(`run ${run.run_id}'s artifacts are at ${run.artifact_uri}, not in the workspace`);
    return fileURLToPath(run.artifact_uri);
  };
  return {
    api,
    label,
    async listArtifacts(run) {
      const dir = root(run);
      const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
      return entries
        .filter((e) => e.isFile())
        .map((e) =>
          path
            .relative(dir, path.join(e.parentPath ?? e.path, e.name))
            .split(path.sep)
            .join('/'),
        )
        .sort();
    },
    readArtifact: (run, relative) => fs.readFile(path.join(root(run), ...relative.split('/'))),
    async writeArtifact(run, relative, data) {
      const file = path.join(root(run), ...relative.split('/'));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, data);
    },
  };
}

/** A team's MLflow server: artifacts listed with `artifacts/list`, moved through its proxy. */
export function serverSide(remote: RemoteStore): StoreSide {
  const artifacts: ArtifactTransfer = remote.artifacts;
  const files = async (runId: string, folder: string): Promise<string[]> => {
    const out: string[] = [];
    for (const entry of await artifacts.list(runId, folder)) {
      if (entry.isDir) out.push(...(await files(runId, entry.path)));
      else out.push(entry.path);
    }
    return out;
  };
  return {
    api: remote.api,
    label: remote.url,
    listArtifacts: async (run) => (await files(run.run_id, '')).sort(),
    readArtifact: (run, relative) => artifacts.download(run.artifact_uri, relative),
    writeArtifact: (run, relative, data) => artifacts.upload(run.artifact_uri, relative, data),
  };
}

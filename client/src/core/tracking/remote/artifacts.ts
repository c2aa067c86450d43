import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactRequest, requestOptionsFromEnv, trackingRequest, type RequestOptions, type TrackingAuth } from '../rest/request';

/**
 * A run's artifacts wherever its `artifact_uri` points: through the tracking server's
 * `mlflow-artifacts` proxy (what `mlflow server` hands out by default), or a `file:` folder this
 * machine can reach. Other stores (s3:, gs:, ...) are the server's business: the editor says so.
 */
export interface ArtifactTransfer {
  upload(artifactUri: string, relativePath: string, data: Uint8Array): Promise<void>;
  download(artifactUri: string, relativePath: string): Promise<Buffer>;
  /** Uploads every file under `folder` to `relativeDir` (recursively); returns how many. */
  uploadFolder(artifactUri: string, relativeDir: string, folder: string): Promise<number>;
  /** The entries of one folder of a run's artifacts (`relative` to its root, '' for the root), as the server's `artifacts/list` answers; paths from the root. */
  list(runId: string, relative: string): Promise<{ path: string; isDir: boolean; size?: number }[]>;
}

/** What the editor reads of a team server beyond the TrackingApi: its runs' artifact files. */
export type RemoteArtifacts = Pick<ArtifactTransfer, 'list' | 'download'>;

interface ListAnswer {
  files?: { path: string; is_dir?: boolean; file_size?: number | string }[];
}

const PROXY = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/;

function encodePath(relative: string): string {
  return relative
    .split('/')
    .filter((part) => part !== '')
    .map(encodeURIComponent)
    .join('/');
}

function checkRelative(relative: string): string {
  const parts = relative.split('/').filter((part) => part !== '');
  if (parts.some((part) => part === '..' || part === '.') || relative.includes('\\'))
    throw new Error(`artifact path '${relative}' must be relative, without '.', '..' or backslashes`);
  return parts.join('/');
}

export function artifactTransfer(baseUrl: string, auth: TrackingAuth | undefined, options: Partial<RequestOptions> = {}): ArtifactTransfer {
  const settings: RequestOptions = { ...requestOptionsFromEnv(), ...options };
  const base = baseUrl.replace(/\/+$/, '');
  const root = `${base}/api/2.0/mlflow-artifacts/artifacts`;
  const where = (artifactUri: string, relative: string): { url: string } | { file: string } => {
    const rel = checkRelative(relative);
    const proxied = PROXY.exec(artifactUri);
    if (proxied) return { url: `${root}/${encodePath([proxied[1] ?? '', rel].filter(Boolean).join('/'))}` };
    if (artifactUri.startsWith('file:')) return { file: path.join(fileURLToPath(artifactUri), ...rel.split('/')) };
    if (artifactUri.startsWith('/')) return { file: path.join(artifactUri, ...rel.split('/')) };
    throw new Error(
      `the run's artifacts live at ${artifactUri}, which the editor cannot reach; start the tracking server with --serve-artifacts so they go through it`,
    );
  };
  const transfer: ArtifactTransfer = {
    async upload(artifactUri, relativePath, data) {
      const target = where(artifactUri, relativePath);
      if ('url' in target) {
        await artifactRequest('PUT', target.url, { body: data, auth, options: settings });
        return;
      }
      await fs.mkdir(path.dirname(target.file), { recursive: true });
      await fs.writeFile(target.file, data);
    },
    async download(artifactUri, relativePath) {
      const target = where(artifactUri, relativePath);
      if ('url' in target) return artifactRequest('GET', target.url, { auth, options: settings });
      return fs.readFile(target.file);
    },
    async uploadFolder(artifactUri, relativeDir, folder) {
      let count = 0;
      for (const entry of await fs.readdir(folder, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile()) continue;
        const full = path.join(entry.parentPath ?? entry.path, entry.name);
        const rel = path.relative(folder, full).split(path.sep).join('/');
        await transfer.upload(artifactUri, [relativeDir, rel].filter(Boolean).join('/'), await fs.readFile(full));
        count++;
      }
      return count;
    },
    async list(runId, relative) {
      const query = new URLSearchParams({ run_id: runId, ...(relative ? { path: relative } : {}) });
      const answer = (await trackingRequest('GET', `${base}/api/2.0/mlflow/artifacts/list?${query}`, {
        auth,
        options: settings,
      })) as ListAnswer;
      return (answer.files ?? []).map((f) => ({
        path: f.path,
        isDir: Boolean(f.is_dir),
        // MLflow sends file_size as an int64, which its JSON may spell as a string.
        ...(f.file_size !== undefined && Number.isFinite(Number(f.file_size)) ? { size: Number(f.file_size) } : {}),
      }));
    },
  };
  return transfer;
}

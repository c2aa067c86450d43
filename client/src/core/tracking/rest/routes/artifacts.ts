import { constants, createWriteStream, promises as fs, type Dirent } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { FileInfo } from '../../repository';
import { resolveUnder, safeRelativePath } from '../artifactPaths';
import { RestError } from '../errors';
import { sendJson } from '../http';
import { msg } from '../validate';
import type { Route } from './route';

/** The entries of one folder, as MLflow's artifact repositories list them (missing folder: none). */
async function listFolder(folder: string, prefix: string): Promise<FileInfo[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
  const files: FileInfo[] = [];
  // Sorted by code point, as Python's sorted() orders names (MLflow: 'MLmodel' before 'conda.yaml').
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push({ path: rel, is_dir: true });
    else if (entry.isFile()) files.push({ path: rel, is_dir: false, file_size: (await fs.stat(path.join(folder, entry.name))).size });
  }
  return files;
}

/** `GET /mlflow/artifacts/list`: a run's artifacts under its file:// artifact URI. */
export const RUN_ARTIFACT_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/mlflow/artifacts/list',
    schema: msg({ run_id: 'string', run_uuid: 'string', path: 'string', page_token: 'string' }),
    runId: true,
    async call({ api }, message) {
      const relative = safeRelativePath(typeof message.path === 'string' ? message.path : '');
      const { run } = await api.getRun({ run_id: String(message.run_id) });
      const rootUri = run.info.artifact_uri;
      // Runs whose artifacts live elsewhere (a client-chosen non-file location) list as empty.
      if (!rootUri.startsWith('file:')) return { root_uri: rootUri, files: [] };
      const root = fileURLToPath(rootUri);
      return { root_uri: rootUri, files: await listFolder(await resolveUnder(root, relative), relative) };
    },
  },
];

export const ARTIFACTS_PREFIX = '/api/2.0/mlflow-artifacts/artifacts';

/** `<path>` of an artifact URL, percent-decoded segment by segment (checked by the caller). */
function decodePath(rest: string): string {
  try {
    return rest.replace(/^\/+/, '').split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new RestError(400, 'INVALID_PARAMETER_VALUE', 'Invalid path: malformed percent-encoding.');
  }
}

/** `/mlflow-artifacts/mpu/{create,complete,abort}/<path>`, under `/api/2.0` or `/ajax-api/2.0`. */
export const MULTIPART_UPLOAD_PATH = /^\/(?:ajax-)?api\/2\.0\/mlflow-artifacts\/mpu\/(?:create|complete|abort)\/(.+)$/;

/**
 * The multipart upload endpoints, answered as MLflow's server answers them over a local artifact
 * repository: 501 `NOT_IMPLEMENTED` with its message, which MLflow's client (with
 * MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD on) recognises by that message and falls back to one PUT.
 */
export function refuseMultipartUpload(method: string | undefined, pathname: string): RestError {
  if (method !== 'POST')
    return new RestError(405, 'BAD_REQUEST', `Method ${method} is not allowed for multipart uploads; use POST.`, { Allow: 'POST' });
  // MLflow checks the path before it looks at the artifact repository.
  safeRelativePath(decodePath(MULTIPART_UPLOAD_PATH.exec(pathname)?.[1] ?? ''));
  return new RestError(501, 'NOT_IMPLEMENTED', 'Multipart upload is not supported for the current artifact repository');
}

/**
 * The `mlflow-artifacts` proxy (mlflow_artifacts.proto): `PUT <prefix>/<path>` uploads,
 * `GET <prefix>/<path>` downloads, `GET <prefix>?path=<folder>` lists; all under the artifact root.
 */
export async function handleArtifacts(req: IncomingMessage, res: ServerResponse, url: URL, artifactRoot: string): Promise<void> {
  const rest = url.pathname.slice(ARTIFACTS_PREFIX.length);
  const decoded = decodePath(rest);
  if (rest === '') {
    if (req.method !== 'GET')
      throw new RestError(405, 'BAD_REQUEST', `Method ${req.method} is not allowed here; list artifacts with GET.`, { Allow: 'GET' });
    const relative = safeRelativePath(url.searchParams.get('path') ?? '');
    const files = await listFolder(await resolveUnder(artifactRoot, relative), '');
    sendJson(res, 200, { files });
    return;
  }
  const relative = safeRelativePath(decoded);
  if (relative === '') throw new RestError(400, 'INVALID_PARAMETER_VALUE', 'Invalid path: an artifact path is required.');
  const target = await resolveUnder(artifactRoot, relative);
  if (req.method === 'PUT') {
    await fs.mkdir(path.dirname(target), { recursive: true });
    // Re-check now that the folders exist, then write beside the target and rename: a failed
    // upload never leaves a half-written artifact.
    await resolveUnder(artifactRoot, relative);
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.upload`);
    try {
      await pipeline(req, createWriteStream(temp, { flags: 'wx' }));
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    sendJson(res, 200, {});
    return;
  }
  if (req.method === 'GET') {
    // O_NOFOLLOW: a symlink put in place after the check above is refused, not followed.
    let file: FileHandle;
    try {
      file = await fs.open(target, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP')
        throw new RestError(403, 'PERMISSION_DENIED', `Access to '${relative}' is outside the artifact root.`);
      throw new RestError(404, 'RESOURCE_DOES_NOT_EXIST', `Artifact '${relative}' not found.`);
    }
    const stat = await file.stat().catch(async (error: unknown) => {
      await file.close();
      throw error;
    });
    if (!stat.isFile()) {
      await file.close();
      throw new RestError(
        400,
        'INVALID_PARAMETER_VALUE',
        `'${relative}' is a folder; list it with GET ${ARTIFACTS_PREFIX}?path=${relative}`,
      );
    }
    // Always an attachment of an opaque type, so nothing is rendered on this origin.
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(stat.size),
      'Content-Disposition': `attachment; filename="${path.basename(target).replace(/["\\\r\n]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
    });
    await pipeline(file.createReadStream(), res);
    return;
  }
  throw new RestError(405, 'BAD_REQUEST', `Method ${req.method} is not allowed for artifacts; use GET or PUT.`, { Allow: 'GET, PUT' });
}

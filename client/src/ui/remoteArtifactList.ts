import type { ArtifactTransfer } from '../core/tracking/remote/artifacts';
import { trackingRequest, type RequestOptions, type TrackingAuth } from '../core/tracking/rest/request';
import type { ArtifactLister } from '../core/views/runDetails';

// No vscode here: the integration tests list a team server's artifacts through it.

/** What the editor reaches of a team server beyond the TrackingApi: its runs' artifact files. */
export interface RemoteArtifacts extends ArtifactLister {
  download(artifactUri: string, relative: string): Promise<Buffer>;
}

interface ListAnswer {
  files?: { path: string; is_dir?: boolean }[];
}

/** `artifacts/list` of MLflow's REST API, and downloads through the server's artifact proxy. */
export function remoteArtifacts(
  url: string,
  auth: TrackingAuth | undefined,
  options: RequestOptions,
  transfer: ArtifactTransfer,
): RemoteArtifacts {
  const base = url.replace(/\/+$/, '');
  return {
    async list(runId, relative) {
      const query = new URLSearchParams({ run_id: runId, ...(relative ? { path: relative } : {}) });
      const answer = (await trackingRequest('GET', `${base}/api/2.0/mlflow/artifacts/list?${query}`, { auth, options })) as ListAnswer;
      return (answer.files ?? []).map((f) => ({ path: f.path, isDir: Boolean(f.is_dir) }));
    },
    download: (artifactUri, relative) => transfer.download(artifactUri, relative),
  };
}

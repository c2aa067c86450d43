import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import { readModelFolder } from '../../core/artifacts/mlmodel';
import type { TrackingApi } from '../../core/tracking/repository';
import type { ExperimentsNode } from '../../core/views/experimentNodes';
import type { DisposableTree } from '../disposables';
import { ARTIFACT_SCHEME, localArtifactPath, openArtifact, RemoteArtifactDocuments, type ArtifactOpenContext } from './artifactOpener';
import { ModelPanels } from './modelPanel';
import type { TreeCommandContext } from './treeCommandContext';

/** Opening a run's artifact files from the Experiments view, and "Show Model" on an MLflow model folder. */
export function registerArtifactCommands(
  ctx: TreeCommandContext,
  tree: DisposableTree,
  extensionUri: vscode.Uri,
  api: () => Promise<TrackingApi | undefined>,
): void {
  const { register, withApi } = ctx;
  const models = tree.track(new ModelPanels(extensionUri));
  tree.track(vscode.workspace.registerTextDocumentContentProvider(ARTIFACT_SCHEME, new RemoteArtifactDocuments(api, ctx.remoteArtifacts)));

  const showModel = async (runId: string, folder: string): Promise<void> =>
    withApi(async (store) => {
      const { run } = await store.getRun({ run_id: runId });
      const info = run.info;
      const remote = ctx.remoteArtifacts();
      const local = info.artifact_uri.startsWith('file:');
      const at = (name: string) => (folder ? `${folder}/${name}` : name);
      const read = async (name: string): Promise<Uint8Array | undefined> => {
        try {
          if (local) return await readFile(localArtifactPath(info, at(name)));
          if (!remote) throw new Error(`the artifacts of ${info.run_name} are at ${info.artifact_uri}, not on this machine`);
          return await remote.download(info.artifact_uri, at(name));
        } catch (error) {
          if ((error as { code?: string }).code === 'ENOENT' || /\b404\b|RESOURCE_DOES_NOT_EXIST|not found/i.test(String(error)))
            return undefined;
          throw error;
        }
      };
      const where = local ? localArtifactPath(info, folder) : `${info.artifact_uri}/${folder}`;
      const title = `Model: ${folder || 'artifacts'} (${info.run_name})`;
      models.show(`${runId}/${folder}`, title, () => readModelFolder(read, `${folder || 'artifacts'} of run ${info.run_name}`, where));
    });
  const context: ArtifactOpenContext = {
    get remote() {
      return ctx.remoteArtifacts();
    },
    showModel,
  };

  // An artifact row's click (and a step log on a team server): opened by the file's kind.
  register(Commands.openRunArtifact, (runId: string, relative: string, size?: number) =>
    withApi(async (store) => {
      const { run } = await store.getRun({ run_id: runId });
      await openArtifact(context, run.info, relative, size);
    }),
  );

  register(Commands.showModel, (arg?: ExperimentsNode) => {
    if (arg?.kind !== 'artifact') return;
    const folder = arg.entry.isDir ? arg.entry.path : arg.entry.path.slice(0, Math.max(0, arg.entry.path.lastIndexOf('/')));
    return showModel(arg.runId, folder);
  });
}

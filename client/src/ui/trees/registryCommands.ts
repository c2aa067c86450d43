import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import { MlflowError } from '../../core/tracking/repository/errors';
import type { TrackingApi } from '../../core/tracking/repository';
import { aliasProblem, promote, promotionWarning, type PromoteTarget } from '../../core/views/promote';
import { modelUris, registeredModels, versionsOf, type VersionRow } from '../../core/views/registryRows';
import type { ExperimentsNode } from '../../core/views/experimentNodes';
import type { RegistryNode } from '../../core/views/registryTreeModel';
import { relativeTime } from '../../core/views/runRows';
import { notify } from '../notify';
import { listRemoteArtifacts } from './remoteArtifactFiles';
import { pickRun, type TreeCommandContext } from './treeCommandContext';

type VersionArg = RegistryNode | undefined;

/** The version a command is about: the row it was invoked on, else picked (model, then version). */
async function versionOf(api: TrackingApi, arg: VersionArg, title: string): Promise<VersionRow | undefined> {
  if (arg?.kind === 'version') return arg.row;
  const model = arg?.kind === 'model' ? arg.name : await pickModel(api, title);
  if (!model) return undefined;
  const versions = await versionsOf(api, model);
  if (versions.length === 0) {
    void notify.info(`${model} has no versions yet.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    versions.map((row) => ({
      label: `v${row.version}`,
      description: [row.stage, ...row.aliases.map((a) => `@${a}`)].join(' '),
      detail: `created ${relativeTime(row.created, Date.now())}${row.runId ? ` · run ${row.runId}` : ''}`,
      row,
    })),
    { title: `${title}: ${model}`, placeHolder: 'Version' },
  );
  return picked?.row;
}

async function pickModel(api: TrackingApi, title: string): Promise<string | undefined> {
  const models = await registeredModels(api);
  if (models.length === 0) {
    void notify.info('no registered models yet. Register one from a run, or with a `register` block in a pipeline.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.name, description: m.latest_versions.map((v) => `${v.current_stage} v${v.version}`).join(' · ') })),
    { title, placeHolder: 'Registered model' },
  );
  return picked?.label;
}

type TargetItem = vscode.QuickPickItem & { target?: 'Staging' | 'Production' | 'Archived' | 'None' | 'alias' };

export function registerRegistryCommands(ctx: TreeCommandContext): void {
  const { register, withApi } = ctx;

  register(Commands.promoteModel, (arg?: VersionArg) =>
    withApi(async (api) => {
      const row = await versionOf(api, arg, 'Promote Model');
      if (!row) return;
      const items: TargetItem[] = [
        { label: 'Staging', description: row.stage === 'Staging' ? 'current stage' : '', target: 'Staging' },
        { label: 'Production', description: row.stage === 'Production' ? 'current stage' : '', target: 'Production' },
        { label: 'Archived', description: row.stage === 'Archived' ? 'current stage' : '', target: 'Archived' },
        { label: 'None', description: 'remove the stage', target: 'None' },
        { label: 'Alias…', description: 'point an alias such as champion at this version', target: 'alias' },
      ];
      const choice = await vscode.window.showQuickPick(items, {
        title: `Promote ${row.model} v${row.version}`,
        placeHolder: 'Target stage or alias',
      });
      if (!choice?.target) return;
      let target: PromoteTarget;
      if (choice.target === 'alias') {
        const alias = await askAlias(row);
        if (!alias) return;
        target = { kind: 'alias', alias };
      } else {
        let archiveExisting = false;
        if (choice.target === 'Staging' || choice.target === 'Production') {
          const current = (await versionsOf(api, row.model)).filter((v) => v.stage === choice.target && v.version !== row.version);
          if (current.length > 0) {
            const archive = await vscode.window.showQuickPick(
              [
                { label: `Archive v${current.map((v) => v.version).join(', v')}`, description: `now in ${choice.target}`, archive: true },
                { label: `Keep them in ${choice.target}`, archive: false },
              ],
              { title: `Promote ${row.model} v${row.version} to ${choice.target}`, placeHolder: `Other versions in ${choice.target}` },
            );
            if (!archive) return;
            archiveExisting = archive.archive;
          }
        }
        target = { kind: 'stage', stage: choice.target, archiveExisting };
      }
      const warning = await promotionWarning(api, row.model, row.version);
      if (warning || (target.kind === 'stage' && target.stage === 'Production')) {
        const detail = [
          warning ? `Careful: ${warning}.` : undefined,
          target.kind === 'stage' && target.stage === 'Production'
            ? 'Production is what serving code loads with models:/' + row.model + '/Production.'
            : undefined,
        ]
          .filter(Boolean)
          .join('\n');
        const ok = await notify.warn(
          `Promote ${row.model} version ${row.version} to ${target.kind === 'stage' ? target.stage : `@${target.alias}`}?`,
          { plain: true, modal: true, detail, actions: ['Promote'] },
        );
        if (ok !== 'Promote') return;
      }
      const done = await promote(api, row.model, row.version, target);
      void notify.info(`${done}.`);
    }),
  );

  register(Commands.setModelAlias, (arg?: VersionArg) =>
    withApi(async (api) => {
      const row = await versionOf(api, arg, 'Set Model Alias');
      const alias = row && (await askAlias(row));
      if (!row || !alias) return;
      void notify.info(`${await promote(api, row.model, row.version, { kind: 'alias', alias })}.`);
    }),
  );

  register(Commands.removeModelAlias, (arg?: VersionArg) =>
    withApi(async (api) => {
      const row = await versionOf(api, arg, 'Remove Model Alias');
      if (!row) return;
      if (row.aliases.length === 0) {
        void notify.info(`${row.model} v${row.version} has no aliases.`);
        return;
      }
      const alias =
        row.aliases.length === 1
          ? row.aliases[0]
          : await vscode.window.showQuickPick([...row.aliases], { title: `Remove an alias of ${row.model} v${row.version}` });
      if (!alias) return;
      await api.deleteRegisteredModelAlias({ name: row.model, alias });
      void notify.info(`removed @${alias} from ${row.model}.`);
    }),
  );

  register(Commands.copyModelUri, (arg?: VersionArg) =>
    withApi(async (api) => {
      const row = await versionOf(api, arg, 'Copy Model URI');
      if (!row) return;
      const uris = modelUris(row);
      const uri =
        uris.length === 1 ? uris[0] : await vscode.window.showQuickPick(uris, { title: `Copy a URI of ${row.model} v${row.version}` });
      if (!uri) return;
      await vscode.env.clipboard.writeText(uri);
      void vscode.window.setStatusBarMessage(`Copied ${uri}`, 3000);
    }),
  );

  register(Commands.copyModelPath, (arg?: VersionArg) =>
    withApi(async (api) => {
      const row = await versionOf(api, arg, 'Copy Model Path');
      if (!row) return;
      if (!row.source.startsWith('file:')) {
        void notify.info(`${row.model} v${row.version} is stored at ${row.source}, not on this machine.`);
        return;
      }
      const local = fileURLToPath(row.source);
      await vscode.env.clipboard.writeText(local);
      void vscode.window.setStatusBarMessage(`Copied ${local}`, 3000);
    }),
  );

  register(Commands.openVersionRun, (arg?: VersionArg) =>
    withApi(async (api) => {
      const row = await versionOf(api, arg, 'Show Source Run');
      if (!row?.runId) return;
      await ctx.revealRun(row.runId);
    }),
  );

  register(Commands.registerModelFromRun, (arg?: ExperimentsNode) =>
    withApi(async (api) => {
      const runId =
        arg?.kind === 'run' ? arg.row.runId : arg?.kind === 'artifact' ? arg.runId : await pickRun(api, 'Register Model from Run');
      if (!runId) return;
      const { run } = await api.getRun({ run_id: runId });
      // The model's source: a file: URL of a local artifact, or runs:/<run>/<path> for a run on a team server.
      let source: string | undefined;
      if (!run.info.artifact_uri.startsWith('file:')) {
        const remote = ctx.remoteArtifacts();
        if (!remote) {
          void notify.info(`the artifacts of ${run.info.run_name} are at ${run.info.artifact_uri}, not on this machine.`);
          return;
        }
        let relative = arg?.kind === 'artifact' ? arg.entry.path : undefined;
        if (!relative) {
          const { files, dirs } = await listRemoteArtifacts(remote, runId);
          if (files.length === 0) {
            void notify.info(`run ${run.info.run_name} has no artifacts on the tracking server to register.`);
            return;
          }
          relative = (
            await vscode.window.showQuickPick(
              [...dirs.map((d) => ({ label: `$(folder) ${d}`, target: d })), ...files.map((f) => ({ label: `$(file) ${f}`, target: f }))],
              { title: `Register a model from ${run.info.run_name}`, placeHolder: 'Artifact on the tracking server' },
            )
          )?.target;
        }
        if (relative) source = `runs:/${runId}/${relative}`;
      } else {
        const root = fileURLToPath(run.info.artifact_uri);
        let artifact = arg?.kind === 'artifact' ? arg.entry.absolute : undefined;
        if (!artifact) {
          const files = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(root), '**/*'), undefined, 2000);
          const dirs = [...new Set(files.map((f) => path.dirname(f.fsPath)).filter((d) => d !== root))];
          const choices = [
            ...dirs.map((d) => ({ label: `$(folder) ${path.relative(root, d)}`, target: d })),
            ...files.map((f) => ({ label: `$(file) ${path.relative(root, f.fsPath)}`, target: f.fsPath })),
          ];
          if (choices.length === 0) {
            void notify.info(
              `run ${run.info.run_name} has no artifacts to register. A pipeline's register block copies its model into the run.`,
            );
            return;
          }
          artifact = (
            await vscode.window.showQuickPick(choices, { title: `Register a model from ${run.info.run_name}`, placeHolder: 'Artifact' })
          )?.target;
        }
        if (artifact) source = pathToFileURL(artifact).toString();
      }
      if (!source) return;
      const models = await registeredModels(api);
      const NEW = '$(add) New model…';
      const pickedName = await vscode.window.showQuickPick([NEW, ...models.map((m) => m.name)], {
        title: 'Register as',
        placeHolder: 'A new or existing registered model',
      });
      if (!pickedName) return;
      const name =
        pickedName === NEW
          ? await vscode.window.showInputBox({
              title: 'New registered model',
              prompt: 'Model name',
              validateInput: (v) =>
                v.trim() === ''
                  ? 'Give the model a name'
                  : models.some((m) => m.name === v.trim())
                    ? `${v.trim()} exists; pick it from the list instead`
                    : undefined,
            })
          : pickedName;
      if (!name) return;
      try {
        await api.createRegisteredModel({ name: name.trim() });
      } catch (error) {
        if (!(error instanceof MlflowError && error.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw error;
      }
      const { model_version } = await api.createModelVersion({
        name: name.trim(),
        source,
        run_id: runId,
      });
      void notify.info(`registered ${name.trim()} version ${model_version.version} from ${run.info.run_name}.`);
    }),
  );
}

async function askAlias(row: VersionRow): Promise<string | undefined> {
  const alias = await vscode.window.showInputBox({
    title: `Alias for ${row.model} v${row.version}`,
    prompt: 'The alias moves here from any other version (models:/name@alias)',
    placeHolder: 'champion',
    validateInput: (value) => (value.trim() === '' ? undefined : aliasProblem(value.trim())),
  });
  return alias?.trim() || undefined;
}

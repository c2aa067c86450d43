import { UsageError } from '../../core/errors';
import { resolveModelUri } from '../../core/tracking/modelUri';
import { Exit, table, type CliGroup } from '../command';
import { JSON_OPTION, time, TRACKING_URI_OPTION, WORKSPACE_OPTION, withTracking } from './trackingAccess';

export const modelsCommand: CliGroup = {
  name: 'models',
  summary: 'List, promote and resolve registered models.',
  subcommands: [
    {
      name: 'list',
      summary: 'List registered models with their latest version per stage and their aliases.',
      usage: 'mlops models list [--json] [--workspace DIR] [--tracking-uri URI]',
      options: { json: JSON_OPTION, workspace: WORKSPACE_OPTION, 'tracking-uri': TRACKING_URI_OPTION },
      async run(values, _positionals, io) {
        return withTracking(values, io, async (api) => {
          const { registered_models: models } = await api.searchRegisteredModels({ max_results: 1000 });
          if (values.json === true) io.out(JSON.stringify(models, null, 2) + '\n');
          else
            io.out(
              table(
                ['NAME', 'LATEST VERSIONS', 'ALIASES', 'UPDATED'],
                models.map((m) => [
                  m.name,
                  m.latest_versions.map((v) => `${v.current_stage}:v${v.version}`).join(' '),
                  m.aliases.map((a) => `@${a.alias}=v${a.version}`).join(' '),
                  time(m.last_updated_timestamp),
                ]),
              ),
            );
          return Exit.ok;
        });
      },
    },
    {
      name: 'promote',
      summary: 'Move a model version to a stage and/or point an alias at it.',
      usage: 'mlops models promote NAME VERSION [STAGE] [--archive-existing] [--alias ALIAS]',
      details:
        'STAGE is None, Staging, Production or Archived (any case). --archive-existing moves the versions already in that stage to Archived.',
      options: {
        'archive-existing': { type: 'boolean', description: 'Archive the other versions in the target stage' },
        alias: { type: 'string', value: 'ALIAS', description: 'Also set this alias (e.g. champion) to the version' },
        json: JSON_OPTION,
        workspace: WORKSPACE_OPTION,
        'tracking-uri': TRACKING_URI_OPTION,
      },
      examples: [
        'mlops models promote customer_churn 3 Production --archive-existing',
        'mlops models promote customer_churn 3 --alias champion',
      ],
      async run(values, positionals, io) {
        const [name, version, stage, extra] = positionals;
        const alias = typeof values.alias === 'string' ? values.alias : undefined;
        if (!name || !version || extra !== undefined || (stage === undefined && alias === undefined))
          throw new UsageError('expected NAME VERSION and a STAGE, an --alias or both');
        if (stage === undefined && values['archive-existing'] === true) throw new UsageError('--archive-existing needs a STAGE');
        return withTracking(values, io, async (api) => {
          if (stage !== undefined) {
            await api.transitionModelVersionStage({ name, version, stage, archive_existing_versions: values['archive-existing'] === true });
          }
          if (alias !== undefined) await api.setRegisteredModelAlias({ name, alias, version });
          const { model_version: v } = await api.getModelVersion({ name, version });
          if (values.json === true) io.out(JSON.stringify(v, null, 2) + '\n');
          else
            io.out(
              `${v.name} version ${v.version}: stage ${v.current_stage}${v.aliases.length ? `, aliases ${v.aliases.map((a) => `@${a}`).join(' ')}` : ''}\n`,
            );
          return Exit.ok;
        });
      },
    },
    {
      name: 'resolve',
      summary: 'Print the local artifact path of models:/NAME/STAGE, models:/NAME/VERSION or models:/NAME@ALIAS.',
      usage: 'mlops models resolve MODEL_URI [--json] [--workspace DIR] [--tracking-uri URI]',
      options: { json: JSON_OPTION, workspace: WORKSPACE_OPTION, 'tracking-uri': TRACKING_URI_OPTION },
      examples: ['mlops models resolve models:/customer_churn/Production', 'mlops models resolve models:/customer_churn@champion'],
      async run(values, positionals, io) {
        const [uri, extra] = positionals;
        if (!uri || extra !== undefined) throw new UsageError('expected exactly one MODEL_URI');
        return withTracking(values, io, async (api) => {
          const resolved = await resolveModelUri(api, uri);
          if (values.json === true) {
            io.out(
              JSON.stringify(
                {
                  name: resolved.version.name,
                  version: resolved.version.version,
                  stage: resolved.version.current_stage,
                  artifact_uri: resolved.artifactUri,
                  path: resolved.localPath ?? null,
                },
                null,
                2,
              ) + '\n',
            );
            return Exit.ok;
          }
          if (!resolved.localPath) {
            io.err(
              `mlops models resolve: ${uri} is version ${resolved.version.version}, stored at ${resolved.artifactUri}, which is not on this machine\n`,
            );
            return Exit.problems;
          }
          io.out(`${resolved.localPath}\n`);
          return Exit.ok;
        });
      },
    },
  ],
};

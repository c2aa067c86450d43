import { readTable } from '../../core/drift/dataTable';
import { UsageError } from '../../core/errors';
import { historicalFeatures, requestedFeatures, RetrievalError, type FeatureRequest } from '../../core/features/pointInTime';
import { FeatureDefinitionError, loadFeatureRegistry, type ViewSpec } from '../../core/features/registry';
import { writeCsv, writeTableFile } from '../../core/features/writeTable';
import { Exit, type CliCommand, type CliGroup } from '../command';
import { WORKSPACE_OPTION, workspaceOf } from './trackingAccess';
import * as path from 'node:path';

const historicalCommand: CliCommand = {
  name: 'historical',
  summary: 'Build a point-in-time correct training set from the entity rows of a labels file.',
  usage:
    'mlops features historical (--service NAME | --features VIEW:FIELD,...) --entities FILE [-o OUT] [--full-feature-names] [--workspace DIR]',
  details: [
    "The entity file (CSV or Parquet) holds the join key(s) of the views' entities and event_timestamp; its other",
    'columns (a label, say) pass through unchanged and in order. For each row and each view the latest feature row',
    "of the same key at or before event_timestamp is taken, no older than the view's ttl (0: no limit); ties on the",
    'timestamp go to the newest created timestamp. No match leaves the values empty. Naive timestamps are UTC.',
    'Columns are named field, or view__field with --full-feature-names. Output: -o file.csv or file.parquet, else CSV',
    'on stdout. Progress goes to stderr.',
  ].join('\n'),
  options: {
    service: { type: 'string', value: 'NAME', description: 'A feature service of the workspace' },
    features: { type: 'string', value: 'VIEW:FIELD,...', description: 'Features by view and field, comma-separated' },
    entities: { type: 'string', value: 'FILE', description: 'The entity rows: join keys, event_timestamp, anything else' },
    output: { type: 'string', short: 'o', value: 'OUT', description: 'Write to this .csv or .parquet file (default: CSV on stdout)' },
    'full-feature-names': { type: 'boolean', description: 'Name columns view__field' },
    workspace: WORKSPACE_OPTION,
  },
  examples: [
    'mlops features historical --service churn_model_v1 --entities labels.csv -o training.csv',
    'mlops features historical --features customer_features:total_purchases,customer_features:num_returns --entities labels.parquet',
  ],
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}`);
    const service = values.service as string | undefined;
    const list = values.features as string | undefined;
    if ((service === undefined) === (list === undefined))
      throw new UsageError('give --service NAME or --features VIEW:FIELD,..., one of them');
    const entitiesFile = values.entities as string | undefined;
    if (!entitiesFile) throw new UsageError('give the entity rows: --entities FILE');
    const request: FeatureRequest =
      service !== undefined
        ? { service }
        : {
            features: list!
              .split(',')
              .map((f) => f.trim())
              .filter(Boolean),
          };
    const started = Date.now();
    try {
      const registry = await loadFeatureRegistry([workspaceOf(values, io.cwd)]);
      const features = requestedFeatures(registry, request, values['full-feature-names'] === true);
      const entities = await readTable(path.resolve(io.cwd, entitiesFile)).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? new RetrievalError(`${entitiesFile}: no such file`) : error;
      });
      const read = new Map<string, ReturnType<typeof readTable>>();
      const source = (view: ViewSpec) => {
        let table = read.get(view.source.file);
        if (!table) {
          io.err(`mlops features: reading ${path.relative(io.cwd, view.source.file) || view.source.file}\n`);
          table = readTable(view.source.file).catch((error: NodeJS.ErrnoException) => {
            throw error.code === 'ENOENT'
              ? new RetrievalError(`${view.source.file} (source ${view.source.name} of view ${view.name}): no such file`)
              : error;
          });
          read.set(view.source.file, table);
        }
        return table;
      };
      let last = Date.now();
      const result = await historicalFeatures(entities, features, source, (p) => {
        if (Date.now() - last > 1000) {
          last = Date.now();
          io.err(`mlops features: ${p.view}: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} rows\n`);
        }
      });
      const output = values.output as string | undefined;
      if (output) {
        await writeTableFile(path.resolve(io.cwd, output), result);
        io.err(
          `mlops features: ${result.rowCount.toLocaleString('en-US')} rows, ${features.length} feature${features.length === 1 ? '' : 's'} written to ${output} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      } else await writeCsv(result, (chunk) => io.out(chunk));
      return Exit.ok;
    } catch (error) {
      if (error instanceof RetrievalError || error instanceof FeatureDefinitionError) throw new UsageError(error.message);
      throw error;
    }
  },
};

export const featuresCommand: CliGroup = {
  name: 'features',
  summary: 'Read features through the feature views: training sets.',
  subcommands: [historicalCommand],
};

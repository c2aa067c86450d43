import * as path from 'node:path';
import { readTable, type Table } from '../../core/drift/dataTable';
import { UsageError } from '../../core/errors';
import { joinInWorkers } from '../../core/features/joinInWorkers';
import {
  historicalFeatures,
  requestedFeatures,
  RetrievalError,
  viewsOf,
  type FeatureRequest,
  type JoinResult,
  type RequestedFeature,
} from '../../core/features/pointInTime';
import { readViewSource } from '../../core/features/viewSource';
import { FeatureDefinitionError, loadFeatureRegistry, type ViewSpec } from '../../core/features/registry';
import { writeCsv, writeTableFile } from '../../core/features/writeTable';
import { Exit, type CliCommand, type CliGroup, type CliIO } from '../command';
import { JSON_OPTION, retryNotice, WORKSPACE_OPTION, workspaceOf } from './trackingAccess';
import { materialize } from '../../core/features/materialize';
import { onlineFeatures } from '../../core/features/online';
import { formatTimestamp, parseTimestamp } from '../../core/features/timestamps';
import { openTrackingAccess } from '../../core/tracking/rest/access';
import { previewView, PREVIEW_ROWS } from '../../core/features/preview';
import { previewLines } from '../../core/features/previewText';

/** --service or --features, shared by the commands that read features. */
const REQUEST_OPTIONS = {
  service: { type: 'string', value: 'NAME', description: 'A feature service of the workspace' },
  features: { type: 'string', value: 'VIEW:FIELD,...', description: 'Features by view and field, comma-separated' },
} as const;

/** A comma-separated option as its non-empty items. */
const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** What --service or --features asks for; exactly one of them must be given. */
function featureRequestOf(values: Record<string, unknown>): FeatureRequest {
  const service = values.service as string | undefined;
  const list = values.features as string | undefined;
  if ((service === undefined) === (list === undefined))
    throw new UsageError('give --service NAME or --features VIEW:FIELD,..., one of them');
  return service !== undefined ? { service } : { features: commaList(list!) };
}

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
    ...REQUEST_OPTIONS,
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
    const request = featureRequestOf(values);
    const entitiesFile = values.entities as string | undefined;
    if (!entitiesFile) throw new UsageError('give the entity rows: --entities FILE');
    const started = Date.now();
    return asUsage(async () => {
      const registry = await loadFeatureRegistry([workspaceOf(values, io.cwd)]);
      const features = requestedFeatures(registry, request, values['full-feature-names'] === true);
      const result = await trainingSet(io, features, entitiesFile);
      const output = values.output as string | undefined;
      if (output) {
        await writeTableFile(path.resolve(io.cwd, output), result);
        io.err(
          `mlops features: ${result.rowCount.toLocaleString('en-US')} rows, ${features.length} feature${features.length === 1 ? '' : 's'} written to ${output} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      } else await writeCsv(result, (chunk) => io.out(chunk));
      return Exit.ok;
    });
  },
};

const readingLine = (io: CliIO, view: ViewSpec) =>
  `mlops features: reading ${path.relative(io.cwd, view.source.file) || view.source.file}\n`;

/** The join: the views' sources read and indexed in worker threads while this thread reads the entity rows. */
async function trainingSet(io: CliIO, features: readonly RequestedFeature[], entitiesFile: string): Promise<JoinResult> {
  const joiner = joinInWorkers();
  try {
    const views = viewsOf(features);
    for (const view of views.keys()) io.err(readingLine(io, view));
    joiner.prepare!(views);
    const entities = await readTable(path.resolve(io.cwd, entitiesFile)).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new RetrievalError(`${entitiesFile}: no such file`) : error;
    });
    let last = Date.now();
    return await historicalFeatures(entities, features, joiner, (p) => {
      if (Date.now() - last > 1000) {
        last = Date.now();
        io.err(`mlops features: ${p.view}: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} rows\n`);
      }
    });
  } finally {
    joiner.close!();
  }
}

/** Reads each view's source file once per command, telling stderr which. */
function sourceReader(io: CliIO): (view: ViewSpec) => Promise<Table> {
  const read = new Map<string, Promise<Table>>();
  return (view) => {
    let table = read.get(view.source.file);
    if (!table) {
      io.err(readingLine(io, view));
      table = readViewSource(view);
      read.set(view.source.file, table);
    }
    return table;
  };
}

/** Retrieval's own errors are the user's to fix: exit code 2 with the message. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RetrievalError || error instanceof FeatureDefinitionError) throw new UsageError(error.message);
    throw error;
  }
}

function timeOption(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const t = parseTimestamp(String(value));
  if (Number.isNaN(t)) throw new UsageError(`${option} ${JSON.stringify(value)} is not a timestamp (2026-01-31, 2026-01-31T12:00:00Z)`);
  return t;
}

const materializeCommand: CliCommand = {
  name: 'materialize',
  summary: 'Write the latest values per entity key of the online views into the embedded online store.',
  usage: 'mlops features materialize [--views NAME,...] [--start T] [--end T] [--workspace DIR]',
  details: [
    'Reads each online: true view (or the ones named) and keeps, per entity key, the latest row up to --end',
    '(default: now) in the online table of the workspace database. Incremental: without --start a view is read',
    'from where its last materialisation ended, so only newer rows count; an older row never replaces a newer one.',
  ].join('\n'),
  options: {
    views: { type: 'string', value: 'NAME,...', description: 'Only these views (default: every online view)' },
    start: { type: 'string', value: 'T', description: 'Read rows from this event time (default: the last end)' },
    end: { type: 'string', value: 'T', description: 'Read rows up to this event time (default: now)' },
    workspace: WORKSPACE_OPTION,
  },
  examples: ['mlops features materialize', 'mlops features materialize --views customer_features --end 2026-01-31'],
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}`);
    const workspaceDir = workspaceOf(values, io.cwd);
    const start = timeOption(values.start, '--start');
    const end = timeOption(values.end, '--end');
    const views = typeof values.views === 'string' ? commaList(values.views) : undefined;
    return asUsage(async () => {
      const registry = await loadFeatureRegistry([workspaceDir]);
      const access = await openTrackingAccess(workspaceDir, { onRetry: retryNotice(io), trackingUri: 'workspace' });
      try {
        const started = Date.now();
        const report = await materialize(access.api, registry, sourceReader(io), {
          ...(views ? { views } : {}),
          ...(start !== undefined ? { start } : {}),
          ...(end !== undefined ? { end } : {}),
          now: Date.now(),
        });
        if (report.length === 0) io.out('No online feature views (set online: true on a view to serve it).\n');
        for (const r of report)
          io.out(
            `${r.view}: ${r.sourceRows.toLocaleString('en-US')} row${r.sourceRows === 1 ? '' : 's'} ${r.from !== undefined ? `${r.fromExclusive ? 'after' : 'from'} ${formatTimestamp(r.from)} ` : ''}up to ${formatTimestamp(r.to)}, ${r.keys.toLocaleString('en-US')} entity key${r.keys === 1 ? '' : 's'} written\n`,
          );
        io.err(
          `mlops features: materialized ${report.length} view${report.length === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
        return Exit.ok;
      } finally {
        await access.close();
      }
    });
  },
};

const onlineCommand: CliCommand = {
  name: 'online',
  summary: 'Look entity keys up in the online store, as get_online_features does.',
  usage:
    'mlops features online (--service NAME | --features VIEW:FIELD,...) --entity KEY=VALUE... [--full-feature-names] [--json] [--workspace DIR]',
  details: [
    'Each --entity KEY=VALUE adds a value to that join key; several keys of one entity row are given in the same',
    "order. A value older than its view's ttl comes back empty with status OUTSIDE_MAX_AGE; a key the store does",
    "not hold, NOT_FOUND. --json prints the answer of Feast's feature server (POST /get-online-features).",
  ].join('\n'),
  options: {
    ...REQUEST_OPTIONS,
    entity: { type: 'string', value: 'KEY=VALUE', multiple: true, description: 'An entity key value (repeat for more)' },
    'full-feature-names': { type: 'boolean', description: 'Name features view__field' },
    json: JSON_OPTION,
    workspace: WORKSPACE_OPTION,
  },
  examples: ['mlops features online --features customer_features:total_purchases --entity customer_id=C00042'],
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}`);
    const request = featureRequestOf(values);
    const entities: Record<string, unknown[]> = {};
    for (const pair of (values.entity as string[] | undefined) ?? []) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--entity ${pair}: write KEY=VALUE`);
      (entities[pair.slice(0, at)] ??= []).push(pair.slice(at + 1));
    }
    if (Object.keys(entities).length === 0) throw new UsageError('give at least one --entity KEY=VALUE');
    const workspaceDir = workspaceOf(values, io.cwd);
    return asUsage(async () => {
      const registry = await loadFeatureRegistry([workspaceDir]);
      const access = await openTrackingAccess(workspaceDir, { onRetry: retryNotice(io), trackingUri: 'workspace' });
      try {
        const answer = await onlineFeatures(
          access.api,
          registry,
          {
            ...('service' in request ? { feature_service: request.service } : { features: [...request.features] }),
            entities,
            full_feature_names: values['full-feature-names'] === true,
          },
          Date.now(),
        );
        if (values.json === true) io.out(`${JSON.stringify(answer, null, 2)}\n`);
        else {
          const names = answer.metadata.feature_names;
          const rows = answer.results[0]?.values.length ?? 0;
          for (let row = 0; row < rows; row++) {
            for (const [c, name] of names.entries()) {
              const r = answer.results[c]!;
              const status = r.statuses[row]!;
              io.out(
                `${name.padEnd(Math.max(...names.map((n) => n.length)))}  ${r.values[row] === null ? '' : String(r.values[row])}${status === 'PRESENT' ? '' : `  (${status})`}\n`,
              );
            }
            if (row < rows - 1) io.out('\n');
          }
        }
        return Exit.ok;
      } finally {
        await access.close();
      }
    });
  },
};

const previewCommand: CliCommand = {
  name: 'preview',
  summary: "Show a feature view's first rows and statistics of each column.",
  usage: 'mlops features preview VIEW [--rows N] [--json] [--workspace DIR]',
  details: [
    "Reads the view's source and shows its join keys, timestamp and fields as the view names them: per column the",
    'count, missing, distinct, min, max and mean over every row, then the first rows (10, or --rows N). --json',
    'prints the preview the editor draws: the first 200 rows (or --rows N) and a histogram per numeric field.',
  ].join('\n'),
  options: {
    rows: { type: 'string', value: 'N', description: 'Rows to show (default 10, with --json 200)' },
    json: JSON_OPTION,
    workspace: WORKSPACE_OPTION,
  },
  examples: ['mlops features preview customer_features', 'mlops features preview customer_features --json --rows 50'],
  async run(values, positionals, io) {
    const [name, ...rest] = positionals;
    if (!name) throw new UsageError('name the feature view: mlops features preview VIEW');
    if (rest.length) throw new UsageError(`unexpected ${rest.join(' ')}`);
    const json = values.json === true;
    const rows = values.rows === undefined ? (json ? PREVIEW_ROWS : 10) : Number(values.rows);
    if (!Number.isInteger(rows) || rows < 0) throw new UsageError(`--rows ${String(values.rows)}: give a whole number`);
    return asUsage(async () => {
      const registry = await loadFeatureRegistry([workspaceOf(values, io.cwd)]);
      const view = registry.views.get(name);
      if (!view) throw new RetrievalError(`no feature view ${name}; the workspace has ${[...registry.views.keys()].join(', ') || 'none'}`);
      const preview = previewView(view, await sourceReader(io)(view), rows);
      if (json) io.out(`${JSON.stringify(preview)}\n`);
      else for (const line of previewLines(preview, path.relative(io.cwd, view.source.file) || view.source.file)) io.out(`${line}\n`);
      return Exit.ok;
    });
  },
};

export const featuresCommand: CliGroup = {
  name: 'features',
  summary: 'Read features through the feature views: training sets, the online store, lookups.',
  subcommands: [historicalCommand, materializeCommand, onlineCommand, previewCommand],
};

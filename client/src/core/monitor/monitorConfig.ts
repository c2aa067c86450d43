/**
 * A monitor file read for checking: validated with the language server's rules (any error
 * refuses the check, naming the problems), then its values as plain data, paths still as
 * written (relative to the monitor file's folder).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDuration, parseMlopsDocument } from '../../../../common/src';
import { isMethodChoice, type MethodChoice } from '../drift';
import { validateFile } from '../validation/validateFile';

export interface MonitorConfig {
  readonly file: string;
  readonly dir: string;
  readonly name: string;
  readonly model?: string;
  readonly stage?: string;
  readonly alias?: string;
  readonly reference?: string;
  readonly current: readonly string[];
  readonly columns?: readonly string[];
  readonly ignore: readonly string[];
  readonly method: MethodChoice;
  readonly threshold?: number;
  readonly datasetDriftShare: number;
  readonly performance?: {
    readonly metrics: readonly string[];
    readonly alertThreshold: number;
    readonly currentMetrics?: string;
    readonly currentRun?: string;
    readonly baselineRun?: string;
  };
  /** Milliseconds between re-checks while the editor is open. */
  readonly scheduleMs?: number;
  readonly onDrift: {
    readonly notify: boolean;
    readonly runPipeline?: string;
    readonly params: Readonly<Record<string, string | number | boolean>>;
  };
}

/** The monitor file has errors; `problems` are `file:line:col code message` lines. */
export class MonitorInvalidError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${file} has ${problems.length} error${problems.length === 1 ? '' : 's'}, so it was not checked:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}

const DEFAULT_SHARE = 0.5;

type Json = Record<string, unknown>;
const asMap = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asString = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const asList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map((x) => String(x)).filter((x) => x !== '');

/** Reads and validates `file` (or `text`, the editor's unsaved content). Throws MonitorInvalidError on errors. */
export async function loadMonitor(file: string, text?: string): Promise<MonitorConfig> {
  const absolute = path.resolve(file);
  const source = text ?? (await readFile(absolute, 'utf8'));
  const doc = parseMlopsDocument(TextDocument.create(pathToFileURL(absolute).toString(), 'mlops-monitor', 1, source), 'monitor');
  const report = await validateFile(absolute, { doc });
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    throw new MonitorInvalidError(
      absolute,
      errors.map((d) => `${absolute}:${d.line}:${d.column} ${d.code} ${d.message}`),
    );
  const root = asMap(doc.yaml.toJS());
  const drift = asMap(root.data_drift);
  const performance = root.performance === undefined ? undefined : asMap(root.performance);
  const onDrift = asMap(root.on_drift);
  const method = asString(drift.method) ?? 'auto';
  const schedule = asString(root.schedule);
  const model = asString(root.model);
  const stage = asString(root.stage);
  const alias = asString(root.alias);
  const reference = asString(root.reference);
  const columns = asList(root.columns);
  const threshold = asNumber(drift.threshold);
  const scheduleMs = schedule ? parseDuration(schedule) : undefined;
  const runPipeline = asString(onDrift.run_pipeline);
  const params: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(asMap(onDrift.params))) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params[key] = value;
  }
  return {
    file: absolute,
    dir: path.dirname(absolute),
    name: asString(root.monitor) ?? path.basename(absolute).replace(/\.monitor\.ya?ml$/i, ''),
    ...(model ? { model } : {}),
    ...(stage ? { stage } : {}),
    ...(alias ? { alias } : {}),
    ...(reference ? { reference } : {}),
    current: asList(root.current),
    ...(columns.length ? { columns } : {}),
    ignore: asList(root.ignore),
    method: isMethodChoice(method) ? method : 'auto',
    ...(threshold !== undefined ? { threshold } : {}),
    datasetDriftShare: asNumber(drift.dataset_drift_share) ?? DEFAULT_SHARE,
    ...(performance ? { performance: readPerformance(performance) } : {}),
    ...(scheduleMs ? { scheduleMs } : {}),
    onDrift: { notify: onDrift.notify !== false, ...(runPipeline ? { runPipeline } : {}), params },
  };
}

function readPerformance(p: Json): NonNullable<MonitorConfig['performance']> {
  const currentMetrics = asString(p.current_metrics);
  const currentRun = asString(p.current_run);
  const baselineRun = asString(p.baseline_run);
  return {
    metrics: asList(p.metrics),
    alertThreshold: asNumber(p.alert_threshold) ?? 0.05,
    ...(currentMetrics ? { currentMetrics } : {}),
    ...(currentRun ? { currentRun } : {}),
    ...(baselineRun ? { baselineRun } : {}),
  };
}

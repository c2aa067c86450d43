/**
 * Where performance drift takes its two sides from: the baseline is the metrics of the watched
 * model version's run (by `stage` or `alias`) or of `baseline_run`; the current metrics come from
 * the `current_metrics` JSON file or `current_run`. A side that is not there (no live metrics yet,
 * no version in the stage) is a reason to skip, never an error.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage } from '../../../../common/src/errors';
import type { TrackingApi } from '../tracking/repository';
import type { MonitorConfig } from './monitorConfig';

export type Metrics = Record<string, number>;
export type Side = { readonly metrics: Metrics; readonly label: string } | { readonly skipped: string };

/** Latest value per key of a run (MLflow's run.data.metrics). */
async function runMetrics(api: TrackingApi, runId: string): Promise<Metrics> {
  const { run } = await api.getRun({ run_id: runId });
  const metrics: Metrics = {};
  for (const m of run.data.metrics) if (typeof m.value === 'number') metrics[m.key] = m.value;
  return metrics;
}

export async function baselineMetrics(config: MonitorConfig, api: TrackingApi | undefined): Promise<Side> {
  if (!api) return { skipped: 'the tracking store is not available for the baseline metrics' };
  const baselineRun = config.performance?.baselineRun;
  if (baselineRun) {
    try {
      return { metrics: await runMetrics(api, baselineRun), label: `run ${baselineRun}` };
    } catch (error) {
      return { skipped: `baseline run ${baselineRun}: ${errorMessage(error)}` };
    }
  }
  if (!config.model) return { skipped: 'no `model` (or `performance.baseline_run`) to take baseline metrics from' };
  let version: { version: string; run_id?: string } | undefined;
  let which: string;
  try {
    if (config.alias) {
      which = `@${config.alias}`;
      version = (await api.getModelVersionByAlias({ name: config.model, alias: config.alias })).model_version;
    } else {
      const stage = config.stage ?? 'Production';
      which = `in ${stage}`;
      version = (await api.getLatestVersions({ name: config.model, stages: [stage] })).model_versions[0];
    }
  } catch (error) {
    return { skipped: `no version of ${config.model} to compare with: ${errorMessage(error)}` };
  }
  if (!version) return { skipped: `no version of ${config.model} ${which} yet` };
  if (!version.run_id) return { skipped: `${config.model} version ${version.version} has no run, so no metrics` };
  try {
    return {
      metrics: await runMetrics(api, version.run_id),
      label: `${config.model} v${version.version} (${which}, run ${version.run_id})`,
    };
  } catch (error) {
    return { skipped: `the run of ${config.model} version ${version.version}: ${errorMessage(error)}` };
  }
}

export async function currentMetrics(config: MonitorConfig, api: TrackingApi | undefined): Promise<Side> {
  const perf = config.performance;
  if (perf?.currentMetrics) {
    const file = path.resolve(config.dir, perf.currentMetrics);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return { skipped: `no live metrics yet: ${perf.currentMetrics} not found` };
    }
    try {
      return { metrics: metricsOfJson(JSON.parse(text)), label: perf.currentMetrics };
    } catch (error) {
      return { skipped: `${perf.currentMetrics} is not a JSON object of metric numbers: ${errorMessage(error)}` };
    }
  }
  if (perf?.currentRun) {
    if (!api) return { skipped: "the tracking store is not available for the current run's metrics" };
    try {
      return { metrics: await runMetrics(api, perf.currentRun), label: `run ${perf.currentRun}` };
    } catch (error) {
      return { skipped: `current run ${perf.currentRun}: ${errorMessage(error)}` };
    }
  }
  return { skipped: 'no `current_metrics` file or `current_run` for the live metrics' };
}

/** `{"accuracy": 0.8}`, or the same under a `metrics` key; non-numbers are left out. */
export function metricsOfJson(value: unknown): Metrics {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected an object');
  const object = value as Record<string, unknown>;
  const inner = object.metrics;
  const source = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : object;
  const metrics: Metrics = {};
  for (const [key, v] of Object.entries(source)) if (typeof v === 'number' && Number.isFinite(v)) metrics[key] = v;
  return metrics;
}

import type { KeyValue, Run, RunStatus, StepRecord } from '../repository';

/**
 * How what the product keeps beyond MLflow's model maps onto MLflow runs on a team's server
 * (docs/tracking-remote.md): a pipeline step is a nested run of the pipeline's run, its state in
 * `mlops.step.*` tags; a monitor check is a run in an experiment named after the monitor.
 */
export const StepTags = {
  parent: 'mlflow.parentRunId',
  runName: 'mlflow.runName',
  step: 'mlops.step',
  status: 'mlops.step.status',
  exitCode: 'mlops.step.exit_code',
  attempts: 'mlops.step.attempts',
  cacheKey: 'mlops.step.cache_key',
  cachedFrom: 'mlops.step.cached_from',
  cached: 'mlops.step.cached',
  message: 'mlops.step.message',
  outputsDigest: 'mlops.step.outputs_digest',
  logPath: 'mlops.step.log_path',
  /** When the step started: the nested run exists from the pipeline's start, while the step waits. */
  startTime: 'mlops.step.start_time',
  /** The step's place in the run (the order the runner listed the steps in). */
  position: 'mlops.step.position',
} as const;

export const MonitorTags = {
  monitor: 'mlops.monitor',
  status: 'mlops.monitor.status',
  method: 'mlops.monitor.method',
  share: 'mlops.monitor.share',
  file: 'mlops.monitor.file',
  /** On the experiment: marks it as a monitor's history. */
  kind: 'mlops.kind',
} as const;

/** The artifact holding a monitor check's full result JSON, which the drift report reads. */
export const MONITOR_RESULT_ARTIFACT = 'monitor/result.json';

/** MLflow's status of a step's nested run: what MLflow's UI shows; the exact step status is a tag. */
export function runStatusOfStep(status: StepRecord['status']): RunStatus {
  switch (status) {
    case 'PENDING':
      return 'SCHEDULED';
    case 'RUNNING':
      return 'RUNNING';
    case 'SUCCEEDED':
      return 'FINISHED';
    case 'FAILED':
      return 'FAILED';
    case 'SKIPPED':
    case 'CANCELLED':
      return 'KILLED';
  }
}

const STEP_STATUSES: ReadonlySet<string> = new Set(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED']);

/** The tags that carry a step record's fields (the ones it has). */
export function stepTags(record: Omit<StepRecord, 'run_id' | 'cached'> & { cached?: boolean }): KeyValue[] {
  const tags: KeyValue[] = [{ key: StepTags.status, value: record.status }];
  const add = (key: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) tags.push({ key, value: String(value) });
  };
  add(StepTags.exitCode, record.exit_code);
  add(StepTags.attempts, record.attempts);
  add(StepTags.cacheKey, record.cache_key);
  add(StepTags.cachedFrom, record.cached_from);
  add(StepTags.cached, record.cached);
  add(StepTags.message, record.message);
  add(StepTags.outputsDigest, record.outputs_digest);
  add(StepTags.logPath, record.log_path);
  add(StepTags.startTime, record.start_time);
  return tags;
}

const number = (text: string | undefined) =>
  text === undefined || text === '' || !Number.isFinite(Number(text)) ? undefined : Number(text);

/** A step's nested run read back as the step record (undefined for a nested run that is not a step). */
export function stepOfRun(run: Run): StepRecord | undefined {
  const tags = new Map(run.data.tags.map((t) => [t.key, t.value]));
  const stepId = tags.get(StepTags.step);
  const parent = tags.get(StepTags.parent);
  if (!stepId || !parent) return undefined;
  const status = tags.get(StepTags.status);
  const record: StepRecord = {
    run_id: parent,
    step_id: stepId,
    status: status && STEP_STATUSES.has(status) ? (status as StepRecord['status']) : statusOfRun(run.info.status),
    cached: tags.get(StepTags.cached) === 'true',
    step_run_id: run.info.run_id,
  };
  const start = number(tags.get(StepTags.startTime));
  const end = run.info.end_time;
  if (start !== undefined) record.start_time = start;
  if (end !== undefined && end !== null && record.status !== 'PENDING' && record.status !== 'RUNNING') record.end_time = end;
  const optional: [keyof StepRecord, string][] = [
    ['log_path', StepTags.logPath],
    ['cache_key', StepTags.cacheKey],
    ['cached_from', StepTags.cachedFrom],
    ['message', StepTags.message],
    ['outputs_digest', StepTags.outputsDigest],
  ];
  for (const [field, key] of optional) {
    const value = tags.get(key);
    if (value !== undefined) (record as unknown as Record<string, unknown>)[field] = value;
  }
  const exitCode = number(tags.get(StepTags.exitCode));
  if (exitCode !== undefined) record.exit_code = exitCode;
  const attempts = number(tags.get(StepTags.attempts));
  if (attempts !== undefined) record.attempts = attempts;
  return record;
}

function statusOfRun(status: RunStatus): StepRecord['status'] {
  switch (status) {
    case 'SCHEDULED':
      return 'PENDING';
    case 'RUNNING':
      return 'RUNNING';
    case 'FINISHED':
      return 'SUCCEEDED';
    case 'FAILED':
      return 'FAILED';
    case 'KILLED':
      return 'CANCELLED';
  }
}

/** A value for an MLflow search filter, single-quoted; ids, step ids and cache keys never hold a quote. */
export function filterString(value: string): string {
  if (/['"\\]/.test(value)) throw new Error(`cannot search a tracking server for ${JSON.stringify(value)}: it holds a quote or backslash`);
  return `'${value}'`;
}

/** Metric keys MLflow accepts: letters, digits, `_ - . / ` and spaces; anything else becomes `_`. */
export function metricKey(text: string): string {
  return text.replace(/[^\w\-./ ]/g, '_').slice(0, 250);
}

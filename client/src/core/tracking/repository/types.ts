// The MLflow messages the repository takes and returns, in their JSON shape (snake_case fields as
// in service.proto and model_registry.proto). int64 fields are numbers; ids and versions strings.

export interface KeyValue {
  key: string;
  value: string;
}

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type LifecycleStage = 'active' | 'deleted';
export type Stage = 'None' | 'Staging' | 'Production' | 'Archived';

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time?: number;
  last_update_time?: number;
  tags: KeyValue[];
}

export interface RunInfo {
  run_id: string;
  /** Deprecated in MLflow but still sent: older clients read it. */
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time?: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

/** A metric value on the wire: a number, or the protobuf JSON spelling of NaN and the infinities. */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

export interface Metric {
  key: string;
  value: MetricValue;
  timestamp: number;
  step: number;
}

export interface Dataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  tags: KeyValue[];
  dataset: Dataset;
}

export interface Run {
  info: RunInfo;
  data: { metrics: Metric[]; params: KeyValue[]; tags: KeyValue[] };
  inputs: { dataset_inputs: DatasetInput[] };
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id?: string;
  current_stage: Stage;
  description?: string;
  source: string;
  run_id?: string;
  run_link?: string;
  status: 'READY';
  tags: KeyValue[];
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description?: string;
  latest_versions: ModelVersion[];
  tags: KeyValue[];
  aliases: { alias: string; version: string }[];
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/** A pipeline step of a run, as the runner records it (not an MLflow entity). */
export interface StepRecord {
  run_id: string;
  step_id: string;
  status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  start_time?: number;
  end_time?: number;
  exit_code?: number;
  cached: boolean;
  log_path?: string;
  /** The step-cache key of this execution (runner only). */
  cache_key?: string;
  /** For a cached step: the run whose execution it reused. */
  cached_from?: string;
  attempts?: number;
  /** Why it failed or was skipped. */
  message?: string;
  /** sha256 of the declared outputs as this execution left them: a cache hit needs them unchanged. */
  outputs_digest?: string;
  /** On a team's server: the step's nested run, whose artifacts hold `logs/<step>.log` and its outputs. */
  step_run_id?: string;
}

/** One drift-monitor check (filled by the monitoring issue; stored here so it shares the journal). */
export interface MonitorResult {
  id: number;
  monitor: string;
  time: number;
  status: string;
  payload: unknown;
}

// ---- requests ----

export interface CreateExperimentRequest {
  name: string;
  artifact_location?: string;
  tags?: KeyValue[];
}
export interface ExperimentIdRequest {
  experiment_id: string;
}
export interface GetExperimentByNameRequest {
  experiment_name: string;
}
export interface SearchExperimentsRequest {
  max_results?: number;
  page_token?: string;
  filter?: string;
  order_by?: string[];
  view_type?: ViewType;
}
export interface UpdateExperimentRequest {
  experiment_id: string;
  new_name: string;
}
export interface SetExperimentTagRequest {
  experiment_id: string;
  key: string;
  value: string;
}

export interface CreateRunRequest {
  experiment_id?: string;
  user_id?: string;
  run_name?: string;
  start_time?: number;
  tags?: KeyValue[];
}
export interface RunIdRequest {
  run_id: string;
}
export interface UpdateRunRequest {
  run_id: string;
  status?: RunStatus;
  end_time?: number;
  run_name?: string;
}
export interface SearchRunsRequest {
  experiment_ids?: string[];
  filter?: string;
  run_view_type?: ViewType;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface LogMetricRequest {
  run_id: string;
  key: string;
  value: MetricValue;
  timestamp: number;
  step?: number;
}
export interface LogParamRequest {
  run_id: string;
  key: string;
  value: string;
}
export interface SetTagRequest {
  run_id: string;
  key: string;
  value: string;
}
export interface DeleteTagRequest {
  run_id: string;
  key: string;
}
export interface LogBatchRequest {
  run_id: string;
  metrics?: { key: string; value: MetricValue; timestamp: number; step?: number }[];
  params?: KeyValue[];
  tags?: KeyValue[];
}
export interface LogInputsRequest {
  run_id: string;
  datasets?: DatasetInput[];
}
export interface LogModelRequest {
  run_id: string;
  model_json: string;
}
export interface GetMetricHistoryRequest {
  run_id: string;
  metric_key: string;
  max_results?: number;
  page_token?: string;
}

export interface NameRequest {
  name: string;
}
export interface CreateRegisteredModelRequest {
  name: string;
  tags?: KeyValue[];
  description?: string;
}
export interface RenameRegisteredModelRequest {
  name: string;
  new_name: string;
}
export interface UpdateRegisteredModelRequest {
  name: string;
  description?: string;
}
export interface SearchRegisteredModelsRequest {
  filter?: string;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface GetLatestVersionsRequest {
  name: string;
  stages?: string[];
}
export interface CreateModelVersionRequest {
  name: string;
  source: string;
  run_id?: string;
  tags?: KeyValue[];
  run_link?: string;
  description?: string;
}
export interface VersionRequest {
  name: string;
  version: string;
}
export interface UpdateModelVersionRequest {
  name: string;
  version: string;
  description?: string;
}
export interface TransitionStageRequest {
  name: string;
  version: string;
  stage: string;
  archive_existing_versions: boolean;
}
export interface SearchModelVersionsRequest {
  filter?: string;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface SetRegisteredModelTagRequest {
  name: string;
  key: string;
  value: string;
}
export interface DeleteRegisteredModelTagRequest {
  name: string;
  key: string;
}
export interface SetModelVersionTagRequest {
  name: string;
  version: string;
  key: string;
  value: string;
}
export interface DeleteModelVersionTagRequest {
  name: string;
  version: string;
  key: string;
}
export interface SetAliasRequest {
  name: string;
  alias: string;
  version: string;
}
export interface AliasRequest {
  name: string;
  alias: string;
}

export interface UpsertStepRequest {
  run_id: string;
  step_id: string;
  status: StepRecord['status'];
  start_time?: number;
  end_time?: number;
  exit_code?: number;
  cached?: boolean;
  log_path?: string;
  cache_key?: string;
  cached_from?: string;
  attempts?: number;
  message?: string;
  outputs_digest?: string;
}
export interface FindCachedStepRequest {
  cache_key: string;
}
export interface RecordMonitorResultRequest {
  monitor: string;
  time?: number;
  status: string;
  payload: unknown;
}
export interface ListMonitorResultsRequest {
  monitor: string;
  max_results?: number;
}

/** An empty MLflow response message. */
export type Empty = Record<string, never>;

/**
 * A chart's view of one metric history (not MLflow): the points of a step or time range, at most
 * `max_points` of them, downsampled inside the store when the range holds more.
 */
export interface GetMetricSeriesRequest {
  run_id: string;
  metric_key: string;
  /** The axis the range and the buckets are over: `step` (default) or `time` (the points' timestamps). */
  x_axis?: 'step' | 'time';
  /** Inclusive bounds of the range on that axis; the whole history when left out. */
  min_x?: number;
  max_x?: number;
  /** Only points after this (step, timestamp): what a live chart appends. */
  after_step?: number;
  after_timestamp?: number;
  /** At most this many points come back (default and ceiling 2,000). */
  max_points?: number;
}

/** Not MLflow: how big the workspace store is (storeSize.ts); the status bar compares it with the ceiling. */
export interface StoreSize {
  /** Bytes of the SQLite image (what a save writes and an open reads). */
  imageBytes: number;
  /** Drawable metric points, from the block summaries. */
  metricPoints: number;
  runs: number;
  /** sql.js's wasm heap on the store's thread, when the host measures it. */
  wasmHeapBytes?: number;
}

/** Parallel columns, ordered by step then time; NaN and infinite values are left out (they cannot be drawn). */
export interface MetricSeries {
  steps: number[];
  timestamps: number[];
  values: number[];
  /** How many drawable points the range holds. */
  total: number;
  /** True when `total` exceeded `max_points` and buckets kept their minimum and maximum (plus the first and last point). */
  downsampled: boolean;
  /** The tracking server picked the steps (MLflow's get-history-bulk-interval): `total` counts only what it sent. */
  sampledBy?: 'server';
}

import type { Database } from 'sql.js';
import type { Context } from './context';
import * as experiments from './experiments';
import type { RepositoryEnv } from './index';
import * as importing from './importing';
import * as metrics from './metrics';
import { getMetricSeries } from './metricSeries';
import { getStoreSize } from './storeSize';
import * as monitors from './monitors';
import * as online from './online';
import * as registry from './registry';
import * as runs from './runs';
import { Sql } from './sql';
import * as steps from './steps';
import type * as T from './types';

/**
 * MLflow's tracking and registry operations over one sql.js database, synchronously. Each method
 * takes the MLflow request message and returns the response message. Writes use only `env` for
 * time and ids, so replaying a journal with the recorded env values rebuilds the same state; they
 * run inside the caller's transaction and check everything before their first write.
 */
export class TrackingRepository {
  private readonly ctx: Context;

  constructor(
    db: Database,
    env: RepositoryEnv,
    private readonly options: { artifactRoot: string; wasmHeapBytes?: () => number | undefined },
  ) {
    this.ctx = { sql: new Sql(db), env, artifactRoot: options.artifactRoot };
  }

  // ---- experiments ----
  createExperiment(req: T.CreateExperimentRequest): { experiment_id: string } {
    return experiments.createExperiment(this.ctx, req);
  }
  getExperiment(req: T.ExperimentIdRequest): { experiment: T.Experiment } {
    return { experiment: experiments.loadExperiment(this.ctx, req.experiment_id) };
  }
  getExperimentByName(req: T.GetExperimentByNameRequest): { experiment: T.Experiment } {
    return experiments.getExperimentByName(this.ctx, req);
  }
  searchExperiments(req: T.SearchExperimentsRequest): { experiments: T.Experiment[]; next_page_token?: string } {
    return experiments.searchExperiments(this.ctx, req);
  }
  updateExperiment(req: T.UpdateExperimentRequest): T.Empty {
    return experiments.updateExperiment(this.ctx, req);
  }
  deleteExperiment(req: T.ExperimentIdRequest): T.Empty {
    return experiments.deleteExperiment(this.ctx, req);
  }
  restoreExperiment(req: T.ExperimentIdRequest): T.Empty {
    return experiments.restoreExperiment(this.ctx, req);
  }
  setExperimentTag(req: T.SetExperimentTagRequest): T.Empty {
    return experiments.setExperimentTag(this.ctx, req);
  }

  // ---- runs ----
  createRun(req: T.CreateRunRequest): { run: T.Run } {
    return runs.createRun(this.ctx, req);
  }
  getRun(req: T.RunIdRequest): { run: T.Run } {
    return runs.getRun(this.ctx, req);
  }
  updateRun(req: T.UpdateRunRequest): { run_info: T.RunInfo } {
    return runs.updateRun(this.ctx, req);
  }
  deleteRun(req: T.RunIdRequest): T.Empty {
    return runs.deleteRun(this.ctx, req);
  }
  restoreRun(req: T.RunIdRequest): T.Empty {
    return runs.restoreRun(this.ctx, req);
  }
  searchRuns(req: T.SearchRunsRequest): { runs: T.Run[]; next_page_token?: string } {
    return runs.searchRuns(this.ctx, req);
  }
  logMetric(req: T.LogMetricRequest): T.Empty {
    return metrics.logMetric(this.ctx, req);
  }
  logParam(req: T.LogParamRequest): T.Empty {
    return runs.logParam(this.ctx, req);
  }
  setTag(req: T.SetTagRequest): T.Empty {
    return runs.setTag(this.ctx, req);
  }
  deleteTag(req: T.DeleteTagRequest): T.Empty {
    return runs.deleteTag(this.ctx, req);
  }
  logInputs(req: T.LogInputsRequest): T.Empty {
    return runs.logInputs(this.ctx, req);
  }
  logBatch(req: T.LogBatchRequest): T.Empty {
    return metrics.logBatch(this.ctx, req);
  }
  logModel(req: T.LogModelRequest): T.Empty {
    return runs.logModel(this.ctx, req);
  }
  getMetricHistory(req: T.GetMetricHistoryRequest): { metrics: T.Metric[]; next_page_token?: string } {
    return metrics.getMetricHistory(this.ctx, req);
  }
  /** Not MLflow: a chart's view of a history, downsampled in the store (metricSeries.ts). A read. */
  getMetricSeries(req: T.GetMetricSeriesRequest): T.MetricSeries {
    return getMetricSeries(this.ctx, req);
  }
  /** Not MLflow: the store's size, for the status bar's ceiling (storeSize.ts). A read. */
  getStoreSize(_req: T.Empty): T.StoreSize {
    return getStoreSize(this.ctx, this.options.wasmHeapBytes);
  }

  // ---- registered models ----
  createRegisteredModel(req: T.CreateRegisteredModelRequest): { registered_model: T.RegisteredModel } {
    return registry.createRegisteredModel(this.ctx, req);
  }
  getRegisteredModel(req: T.NameRequest): { registered_model: T.RegisteredModel } {
    return registry.getRegisteredModel(this.ctx, req);
  }
  renameRegisteredModel(req: T.RenameRegisteredModelRequest): { registered_model: T.RegisteredModel } {
    return registry.renameRegisteredModel(this.ctx, req);
  }
  updateRegisteredModel(req: T.UpdateRegisteredModelRequest): { registered_model: T.RegisteredModel } {
    return registry.updateRegisteredModel(this.ctx, req);
  }
  deleteRegisteredModel(req: T.NameRequest): T.Empty {
    return registry.deleteRegisteredModel(this.ctx, req);
  }
  searchRegisteredModels(req: T.SearchRegisteredModelsRequest): { registered_models: T.RegisteredModel[]; next_page_token?: string } {
    return registry.searchRegisteredModels(this.ctx, req);
  }
  getLatestVersions(req: T.GetLatestVersionsRequest): { model_versions: T.ModelVersion[] } {
    return registry.getLatestVersions(this.ctx, req);
  }
  setRegisteredModelTag(req: T.SetRegisteredModelTagRequest): T.Empty {
    return registry.setRegisteredModelTag(this.ctx, req);
  }
  deleteRegisteredModelTag(req: T.DeleteRegisteredModelTagRequest): T.Empty {
    return registry.deleteRegisteredModelTag(this.ctx, req);
  }
  setRegisteredModelAlias(req: T.SetAliasRequest): T.Empty {
    return registry.setRegisteredModelAlias(this.ctx, req);
  }
  deleteRegisteredModelAlias(req: T.AliasRequest): T.Empty {
    return registry.deleteRegisteredModelAlias(this.ctx, req);
  }
  getModelVersionByAlias(req: T.AliasRequest): { model_version: T.ModelVersion } {
    return registry.getModelVersionByAlias(this.ctx, req);
  }

  // ---- model versions ----
  createModelVersion(req: T.CreateModelVersionRequest): { model_version: T.ModelVersion } {
    return registry.createModelVersion(this.ctx, req);
  }
  getModelVersion(req: T.VersionRequest): { model_version: T.ModelVersion } {
    return registry.getModelVersion(this.ctx, req);
  }
  updateModelVersion(req: T.UpdateModelVersionRequest): { model_version: T.ModelVersion } {
    return registry.updateModelVersion(this.ctx, req);
  }
  deleteModelVersion(req: T.VersionRequest): T.Empty {
    return registry.deleteModelVersion(this.ctx, req);
  }
  transitionModelVersionStage(req: T.TransitionStageRequest): { model_version: T.ModelVersion } {
    return registry.transitionModelVersionStage(this.ctx, req);
  }
  searchModelVersions(req: T.SearchModelVersionsRequest): { model_versions: T.ModelVersion[]; next_page_token?: string } {
    return registry.searchModelVersions(this.ctx, req);
  }
  getModelVersionDownloadUri(req: T.VersionRequest): { artifact_uri: string } {
    return registry.getModelVersionDownloadUri(this.ctx, req);
  }
  setModelVersionTag(req: T.SetModelVersionTagRequest): T.Empty {
    return registry.setModelVersionTag(this.ctx, req);
  }
  deleteModelVersionTag(req: T.DeleteModelVersionTagRequest): T.Empty {
    return registry.deleteModelVersionTag(this.ctx, req);
  }

  // ---- the product's own records ----
  upsertStep(req: T.UpsertStepRequest): T.Empty {
    return steps.upsertStep(this.ctx, req);
  }
  listSteps(req: T.RunIdRequest): { steps: T.StepRecord[] } {
    return steps.listSteps(this.ctx, req);
  }
  findCachedStep(req: T.FindCachedStepRequest): { step?: T.StepRecord } {
    return steps.findCachedStep(this.ctx, req);
  }
  recordMonitorResult(req: T.RecordMonitorResultRequest): { id: number } {
    return monitors.recordMonitorResult(this.ctx, req);
  }
  listMonitorResults(req: T.ListMonitorResultsRequest): { results: T.MonitorResult[] } {
    return monitors.listMonitorResults(this.ctx, req);
  }
  importRun(req: importing.ImportRunRequest): { run_info: T.RunInfo; created: boolean } {
    return importing.importRun(this.ctx, req);
  }
  importModel(req: importing.ImportModelRequest): { added_versions: string[] } {
    return importing.importModel(this.ctx, req);
  }
  writeOnlineRows(req: online.WriteOnlineRowsRequest): { written: number } {
    return online.writeOnlineRows(this.ctx, req);
  }
  recordMaterialization(req: online.RecordMaterializationRequest): { materialization: online.Materialization } {
    return online.recordMaterialization(this.ctx, req);
  }
  listMaterializations(_req: T.Empty): { materializations: online.Materialization[] } {
    return online.listMaterializations(this.ctx);
  }
  getOnlineRows(req: { view: string; entity_keys?: string[]; max_rows?: number }): { rows: online.OnlineRow[]; truncated?: boolean } {
    return online.getOnlineRows(this.ctx, req);
  }
}

import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { writeMlopsLauncher } from './mlopsShim';
import { errorMessage } from '../../../../common/src/errors';
import { resolveParams } from './params';
import { loadPipeline, type PipelinePlan } from './plan';
import { RunRecorder, RunnerTags } from './recorder';
import { registerModel } from './register';
import { schedule, selectSteps } from './schedule';
import { resolveEnv, type Scope } from './scope';
import { credentialsEnv } from '../tracking/choice';
import type { Run } from '../tracking/repository';
import { uploadRunArtifacts } from './remoteArtifacts';
import { executeStep } from './stepExecution';
import { gitState, RecordTags, runRecord, writeRecord, type RunRecord } from './runRecord';
import type { ParamValue, RunListener, RunRequest, RunResult, RunStatus, StepSummary } from './types';

/**
 * Runs a pipeline file end to end: checks it and its params, records a run,
 * executes the steps as a DAG, ingests metrics, evaluates the register gate.
 * Throws only before the run exists (invalid pipeline or params); after that
 * every failure ends up in the result and the run's status.
 */
export async function runPipeline(request: RunRequest, listener: RunListener = () => undefined): Promise<RunResult> {
  const emit: RunListener = (event) => {
    try {
      listener(event);
    } catch {
      // A renderer's bug must not stop the run.
    }
  };
  const plan = request.plan ?? (await loadPipeline(request.pipelineFile, request.text));
  const params = resolveParams(plan.params, request.params);
  const steps = selectSteps(plan, request.steps);
  const signal = request.signal ?? new AbortController().signal;
  const baseEnv = request.env ?? process.env;
  const relativeFile = path.relative(request.workspaceDir, plan.file).split(path.sep).join('/');

  const remote = request.tracking.remote;
  // One look at the repository: the run's commit tag and its reproduction record both read it.
  const git = await gitState(plan.folder);
  const recorder = await RunRecorder.start(request.tracking.api, plan, params, {
    relativeFile,
    ...(git ? { gitCommit: git.commit } : {}),
    onError: (message) => emit({ type: 'warning', message }),
    stagingRoot: path.join(request.workspaceDir, '.mlops', 'runs'),
    nestedSteps: remote !== undefined,
  });
  const started = Date.now();
  const logDir = path.join(request.workspaceDir, '.mlops', 'runs', recorder.runId);
  await mkdir(logDir, { recursive: true });
  await mkdir(recorder.artifactDir, { recursive: true }).catch(() => undefined);
  await recordForReproduction(recorder, plan, params, request.workspaceDir, request.text, git).catch((error: unknown) =>
    emit({ type: 'warning', message: `this run cannot be reproduced later: ${errorMessage(error)}` }),
  );
  emit({
    type: 'run-started',
    runId: recorder.runId,
    runName: recorder.runName,
    experimentId: recorder.experimentId,
    experimentName: plan.experiment,
    pipeline: plan.name,
    pipelineFile: plan.file,
    steps,
    params,
    runDir: recorder.artifactDir,
  });

  const scope: Scope = { plan, params, runId: recorder.runId, runDir: recorder.artifactDir, env: baseEnv };
  const mlopsBin = await writeMlopsLauncher(request.workspaceDir).catch((error: unknown) => {
    emit({ type: 'warning', message: `steps will not find this tool's mlops: ${errorMessage(error)}` });
    return undefined;
  });
  const runEnv: Record<string, string> = {
    MLFLOW_TRACKING_URI: request.tracking.url,
    ...credentialsEnv(request.tracking.token !== undefined ? { token: request.tracking.token } : request.tracking.auth),
    MLFLOW_RUN_ID: recorder.runId,
    MLFLOW_EXPERIMENT_ID: recorder.experimentId,
    MLOPS_RUN_ID: recorder.runId,
    MLOPS_RUN_DIR: recorder.artifactDir,
  };
  let summaries: StepSummary[];
  let envProblem: string | undefined;
  let env: Record<string, string | undefined> = baseEnv;
  try {
    env = { ...baseEnv, ...resolveEnv(scope, plan.env) };
  } catch (error) {
    envProblem = `pipeline env: ${errorMessage(error)}`;
  }
  const skip = async (id: string, status: 'SKIPPED' | 'CANCELLED', why: string): Promise<StepSummary> => {
    const summary: StepSummary = { step: id, status, durationMs: 0, attempts: 0, message: why };
    recorder.step({ step_id: id, status, cached: false, message: why, attempts: 0 });
    emit({ type: 'step-finished', ...summary });
    return summary;
  };
  if (envProblem) {
    emit({ type: 'warning', message: envProblem });
    summaries = [];
    for (const id of steps) summaries.push(await skip(id, 'SKIPPED', envProblem));
  } else {
    for (const id of steps) recorder.step({ step_id: id, status: 'PENDING', cached: false });
    // On a team's server each step is a nested run, and its own mlflow code logs into that run.
    const nested = remote ? await recorder.nestedRuns().catch(() => new Map<string, Run>()) : undefined;
    const envOf = (id: string) => {
      const run = nested?.get(id);
      return run ? { ...runEnv, MLFLOW_RUN_ID: run.info.run_id, MLFLOW_PARENT_RUN_ID: recorder.runId } : runEnv;
    };
    const parallel = Math.max(1, request.maxParallel && request.maxParallel > 0 ? request.maxParallel : availableParallelism());
    summaries = await schedule(
      plan,
      steps,
      parallel,
      signal,
      (id) =>
        executeStep({
          step: plan.byId.get(id)!,
          scope,
          recorder,
          logDir,
          env,
          runEnv: envOf(id),
          ...(mlopsBin ? { mlopsBin } : {}),
          noCache: request.noCache ?? false,
          signal,
          emit,
        }),
      skip,
    );
  }

  const cached = summaries.filter((s) => s.cachedFrom);
  if (cached.length > 0) await recorder.tag(RunnerTags.cachedSteps, cached.map((s) => `${s.step} (from run ${s.cachedFrom})`).join(', '));
  const status: RunStatus = signal.aborted
    ? 'KILLED'
    : envProblem || summaries.some((s) => s.status !== 'SUCCEEDED')
      ? 'FAILED'
      : 'FINISHED';

  // Read once: the register gate and the result both use the run's latest metrics.
  const metrics = await recorder.metrics();
  let registered: RunResult['registered'];
  let registerSkipped: string | undefined;
  if (plan.register) {
    if (status !== 'FINISHED') registerSkipped = 'the run did not finish successfully';
    else if (request.steps && request.steps.length > 0)
      registerSkipped = 'only some steps ran (mlops.runStep); run the whole pipeline to register';
    else {
      const outcome = await registerModel(plan.register, { scope, recorder, metrics, ...(remote ? { remote: remote.artifacts } : {}) });
      if ('version' in outcome) registered = outcome.version;
      else registerSkipped = outcome.skipped;
    }
    if (registered) emit({ type: 'registered', version: registered });
    else if (registerSkipped) emit({ type: 'register-skipped', reason: registerSkipped });
  }
  if (remote)
    await uploadRunArtifacts({ recorder, plan, summaries, artifacts: remote.artifacts, emit, modelUploaded: registered !== undefined });
  await recorder.finish(status);
  const result: RunResult = {
    runId: recorder.runId,
    runName: recorder.runName,
    experimentId: recorder.experimentId,
    status,
    durationMs: Date.now() - started,
    steps: summaries,
    metrics,
    ...(registered ? { registered } : {}),
    ...(registerSkipped ? { registerSkipped } : {}),
  };
  emit({ type: 'run-finished', ...result });
  return result;
}

/** HEAD of the git repository holding `folder`, or undefined outside one (or without git). */

/** What it takes to run this again (runRecord.ts): the record among the run's artifacts, the short facts as tags. */
async function recordForReproduction(
  recorder: RunRecorder,
  plan: PipelinePlan,
  params: Readonly<Record<string, ParamValue>>,
  workspaceDir: string,
  text: string | undefined,
  git: RunRecord['git'],
): Promise<void> {
  const record = await runRecord(plan, params, workspaceDir, { text, git });
  await writeRecord(recorder.artifactDir, record);
  const tags = [
    { key: RecordTags.version, value: record.version },
    { key: RecordTags.pipelineSha256, value: record.pipeline.sha256 },
    ...(record.git ? [{ key: RecordTags.gitDirty, value: String(record.git.dirty) }] : []),
  ];
  await recorder.api.logBatch({ run_id: recorder.runId, tags });
}

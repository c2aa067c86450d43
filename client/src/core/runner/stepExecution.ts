import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { withFirstOnPath } from './mlopsShim';
import { StringDecoder } from 'node:string_decoder';
import { errorMessage } from '../../../../common/src/errors';
import { computeCacheKey, MissingInputError } from './cacheKey';
import { MetricsFileTail, readMetricsOutput } from './metricsFile';
import { outputsDigest } from './outputsDigest';
import type { StepPlan } from './plan';
import { startProcess, type RunningProcess } from './process';
import type { RunRecorder } from './recorder';
import { outputPath, resolveCommand, resolveEnv, resolveText, type Scope } from './scope';
import type { RunListener, StepSummary } from './types';

export interface StepContext {
  readonly step: StepPlan;
  /** The scope of the run; the step's own scope is made from it. */
  readonly scope: Scope;
  readonly recorder: RunRecorder;
  /** `.mlops/runs/<run>`: logs and metrics files. */
  readonly logDir: string;
  /** Inherited environment plus the pipeline's resolved `env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** MLFLOW_* and MLOPS_* variables of the run. */
  readonly runEnv: Readonly<Record<string, string>>;
  /** The folder of the `mlops` launcher (./mlopsShim.ts), put first on the step's PATH. */
  readonly mlopsBin?: string;
  readonly noCache: boolean;
  readonly signal: AbortSignal;
  readonly emit: RunListener;
}

/** Runs one step to its end: cache lookup, attempts with timeout, output checks, metrics. Never throws. */
export async function executeStep(ctx: StepContext): Promise<StepSummary> {
  const { step, recorder } = ctx;
  const started = Date.now();
  const logPath = path.join(ctx.logDir, `${step.id}.log`);
  const finish = async (
    summary: Omit<StepSummary, 'step' | 'durationMs' | 'logPath'> & { cacheKey?: string; digest?: string },
  ): Promise<StepSummary> => {
    const { cacheKey, digest, ...rest } = summary;
    const result: StepSummary = { step: step.id, durationMs: Date.now() - started, logPath, ...rest };
    recorder.step({
      step_id: step.id,
      status: result.status,
      end_time: Date.now(),
      cached: result.cachedFrom !== undefined,
      ...(result.exitCode !== undefined ? { exit_code: result.exitCode } : {}),
      ...(result.cachedFrom ? { cached_from: result.cachedFrom } : {}),
      ...(result.message ? { message: result.message } : {}),
      ...(cacheKey ? { cache_key: cacheKey } : {}),
      ...(digest ? { outputs_digest: digest } : {}),
      attempts: result.attempts,
    });
    ctx.emit({ type: 'step-finished', ...result });
    return result;
  };

  // Resolve everything first: a bad reference fails the step before anything runs.
  const stepScope: Scope = { ...ctx.scope, step, env: ctx.env };
  let command: string;
  let stepEnv: Record<string, string>;
  let inputs: string[];
  try {
    stepEnv = resolveEnv(stepScope, step.env);
    const scope: Scope = { ...stepScope, env: { ...ctx.env, ...stepEnv } };
    command = resolveCommand(scope, step.run);
    inputs = step.inputs.map((input) => resolveText(scope, input));
  } catch (error) {
    return finish({ status: 'FAILED', attempts: 0, message: errorMessage(error) });
  }
  const outputs = step.outputs.map((o) => ({ ...o, absolute: outputPath(step, o.name)! }));

  let cacheKey: string | undefined;
  if (step.cache) {
    try {
      cacheKey = await computeCacheKey({
        pipeline: ctx.scope.plan.file,
        step: step.id,
        command,
        env: stepEnv,
        workdir: step.workdir,
        inputs,
        outputs: outputs.map((o) => o.absolute),
      });
    } catch (error) {
      if (!(error instanceof MissingInputError)) throw error;
      ctx.emit({ type: 'warning', step: step.id, message: `not cached: ${error.message}` });
    }
  }
  if (cacheKey && !ctx.noCache) {
    const hit = await cachedExecution(
      ctx,
      cacheKey,
      outputs.map((o) => o.absolute),
    );
    if (hit) {
      const failed = await ingestMetricsOutputs(ctx, outputs);
      if (!failed)
        return finish({ status: 'SUCCEEDED', attempts: 0, cachedFrom: hit.runId, cacheKey, ...(hit.digest ? { digest: hit.digest } : {}) });
    }
  }

  recorder.step({ step_id: step.id, status: 'RUNNING', start_time: started, log_path: logPath, cached: false, attempts: 1 });
  for (const o of outputs) await mkdir(path.dirname(o.absolute), { recursive: true });
  const log = createWriteStream(logPath, { flags: 'a' });
  const metricsFile = path.join(ctx.logDir, `${step.id}.metrics.jsonl`);
  const merged = { PYTHONUNBUFFERED: '1', ...ctx.env, ...stepEnv, ...ctx.runEnv, MLOPS_STEP: step.id, MLOPS_METRICS_FILE: metricsFile };
  const env = ctx.mlopsBin ? withFirstOnPath(merged, ctx.mlopsBin) : merged;
  const tail = new MetricsFileTail(
    metricsFile,
    (m) => {
      recorder.metric(m.key, m.value, m.step);
      ctx.emit({ type: 'metric', step: step.id, key: m.key, value: m.value, stepNumber: m.step });
    },
    (warning) => ctx.emit({ type: 'warning', step: step.id, message: warning }),
  );
  tail.start();
  const maxAttempts = step.retries + 1;
  let last: { exitCode?: number; message: string } = { message: 'not run' };
  try {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (ctx.signal.aborted) return await finish({ status: 'CANCELLED', attempts: attempt - 1, message: 'cancelled' });
      if (attempt > 1) {
        ctx.emit({ type: 'step-retry', step: step.id, attempt, maxAttempts, reason: last.message });
        // The pipeline graph shows the attempt while the step retries.
        recorder.step({ step_id: step.id, status: 'RUNNING', attempts: attempt, cached: false });
      }
      ctx.emit({ type: 'step-started', step: step.id, attempt, maxAttempts, command, logPath });
      log.write(`\n=== ${step.id}: attempt ${attempt}/${maxAttempts} at ${new Date().toISOString()}\n$ ${command}\n`);
      const outcome = await attemptOnce(ctx, command, env, log);
      if (outcome.kind === 'cancelled')
        return await finish({ status: 'CANCELLED', attempts: attempt, message: 'cancelled', ...exitOf(outcome.code) });
      if (outcome.kind === 'exited' && outcome.code === 0) {
        const missing = outputs.filter((o) => !existsSync(o.absolute));
        if (missing.length === 0) {
          await tail.stop();
          const ingested = await ingestMetricsOutputs(ctx, outputs);
          if (ingested) return await finish({ status: 'FAILED', attempts: attempt, exitCode: 0, message: ingested });
          const digest = cacheKey ? await outputsDigest(outputs.map((o) => o.absolute)) : undefined;
          return await finish({
            status: 'SUCCEEDED',
            attempts: attempt,
            exitCode: 0,
            ...(cacheKey ? { cacheKey } : {}),
            ...(digest ? { digest } : {}),
          });
        }
        last = {
          exitCode: 0,
          message: `declared output ${missing.map((o) => `\`${o.name}\` (${path.relative(step.workdir, o.absolute) || o.absolute})`).join(', ')} ${missing.length === 1 ? 'was' : 'were'} not written`,
        };
      } else {
        last =
          outcome.kind === 'timeout'
            ? { message: `timed out after ${formatMs(step.timeoutMs ?? 0)}` }
            : outcome.kind === 'error'
              ? { message: outcome.message }
              : {
                  ...exitOf(outcome.code),
                  message: outcome.code === null ? `killed by ${outcome.signal}` : `exited with code ${outcome.code}`,
                };
      }
      log.write(`=== ${step.id}: ${last.message}\n`);
    }
    return await finish({
      status: 'FAILED',
      attempts: maxAttempts,
      message: maxAttempts > 1 ? `${last.message} (after ${maxAttempts} attempts)` : last.message,
      ...(last.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
    });
  } finally {
    await tail.stop();
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

type Outcome =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'cancelled'; code: number | null }
  | { kind: 'error'; message: string };

function exitOf(code: number | null | undefined): { exitCode?: number } {
  return typeof code === 'number' ? { exitCode: code } : {};
}

async function attemptOnce(ctx: StepContext, command: string, env: NodeJS.ProcessEnv, log: WriteStream): Promise<Outcome> {
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  let child: RunningProcess;
  try {
    child = startProcess({
      command,
      cwd: ctx.step.workdir,
      env,
      onOutput: (stream, chunk) => {
        log.write(chunk);
        const text = decoders[stream].write(chunk);
        if (text) ctx.emit({ type: 'step-output', step: ctx.step.id, stream, text });
      },
    });
  } catch (error) {
    return { kind: 'error', message: `could not start the shell: ${errorMessage(error)}` };
  }
  let reason: 'timeout' | 'cancelled' | undefined;
  const stop = (why: 'timeout' | 'cancelled') => {
    reason ??= why;
    child.kill();
  };
  const onAbort = () => stop('cancelled');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timer = ctx.step.timeoutMs ? setTimeout(() => stop('timeout'), ctx.step.timeoutMs) : undefined;
  try {
    const { code, signal } = await child.exited;
    if (reason === 'timeout') return { kind: 'timeout' };
    if (reason === 'cancelled') return { kind: 'cancelled', code };
    return { kind: 'exited', code, signal };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return {
      kind: 'error',
      message: err.code === 'ENOENT' ? `workdir ${ctx.step.workdir} does not exist` : `could not start the step: ${err.message}`,
    };
  } finally {
    if (timer) clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** The run whose execution this step can reuse: same key, and the outputs as that execution left them. */
async function cachedExecution(
  ctx: StepContext,
  cacheKey: string,
  outputs: readonly string[],
): Promise<{ runId: string; digest?: string } | undefined> {
  let found;
  try {
    found = (await ctx.recorder.api.findCachedStep({ cache_key: cacheKey })).step;
  } catch (error) {
    ctx.emit({ type: 'warning', step: ctx.step.id, message: `cache lookup failed, running the step: ${errorMessage(error)}` });
    return undefined;
  }
  if (!found) return undefined;
  if (outputs.some((o) => !existsSync(o))) return undefined;
  const digest = await outputsDigest(outputs);
  if (found.outputs_digest !== undefined && found.outputs_digest !== digest) {
    ctx.emit({
      type: 'warning',
      step: ctx.step.id,
      message: `not cached: its outputs changed since run ${found.cached_from ?? found.run_id}`,
    });
    return undefined;
  }
  return { runId: found.cached_from ?? found.run_id, ...(digest ? { digest } : {}) };
}

/** Logs the values of `metrics` outputs; returns why the step must fail, if one cannot be read. */
async function ingestMetricsOutputs(
  ctx: StepContext,
  outputs: readonly { name: string; type: string; absolute: string }[],
): Promise<string | undefined> {
  for (const output of outputs.filter((o) => o.type === 'metrics')) {
    let read;
    try {
      read = await readMetricsOutput(output.absolute);
    } catch (error) {
      return `metrics output \`${output.name}\`: ${errorMessage(error)}`;
    }
    for (const [key, value] of Object.entries(read.metrics)) {
      ctx.recorder.metric(key, value);
      ctx.emit({ type: 'metric', step: ctx.step.id, key, value, stepNumber: 0 });
    }
    if (read.skipped.length > 0)
      ctx.emit({
        type: 'warning',
        step: ctx.step.id,
        message: `metrics output \`${output.name}\`: skipped ${read.skipped.join(', ')} (not numbers)`,
      });
  }
  return undefined;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s - m * 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

import { findRun, type Context } from './context';
import { invalid } from './errors';
import { optNum, optStr, str, type Row } from './sql';
import type { Empty, FindCachedStepRequest, RunIdRequest, StepRecord, UpsertStepRequest } from './types';

const STEP_STATUSES: readonly StepRecord['status'][] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'];

/** Records a pipeline step's state; fields left out keep their stored value. */
export function upsertStep(ctx: Context, req: UpsertStepRequest): Empty {
  findRun(ctx, req.run_id);
  if (!req.step_id) throw invalid("Missing value for required parameter 'step_id'.");
  if (!STEP_STATUSES.includes(req.status))
    throw invalid(`Invalid step status '${String(req.status)}'. Expected one of ${STEP_STATUSES.join(', ')}.`);
  ctx.sql.run(
    `INSERT INTO steps (run_uuid, step_id, status, start_time, end_time, exit_code, cached, log_path, cache_key, cached_from, attempts, message, outputs_digest, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COUNT(*) FROM steps WHERE run_uuid = ?))
     ON CONFLICT (run_uuid, step_id) DO UPDATE SET status = excluded.status,
       start_time = COALESCE(excluded.start_time, steps.start_time), end_time = COALESCE(excluded.end_time, steps.end_time),
       exit_code = COALESCE(excluded.exit_code, steps.exit_code), cached = excluded.cached, log_path = COALESCE(excluded.log_path, steps.log_path),
       cache_key = COALESCE(excluded.cache_key, steps.cache_key), cached_from = COALESCE(excluded.cached_from, steps.cached_from),
       attempts = COALESCE(excluded.attempts, steps.attempts), message = COALESCE(excluded.message, steps.message),
       outputs_digest = COALESCE(excluded.outputs_digest, steps.outputs_digest)`,
    [
      req.run_id,
      req.step_id,
      req.status,
      req.start_time ?? null,
      req.end_time ?? null,
      req.exit_code ?? null,
      req.cached ? 1 : 0,
      req.log_path ?? null,
      req.cache_key ?? null,
      req.cached_from ?? null,
      req.attempts ?? null,
      req.message ?? null,
      req.outputs_digest ?? null,
      req.run_id,
    ],
  );
  ctx.env.emit({ kind: 'step', ids: [req.run_id, req.step_id], op: 'update' });
  return {};
}

/** A run's steps in the order they were first recorded. */
export function listSteps(ctx: Context, req: RunIdRequest): { steps: StepRecord[] } {
  findRun(ctx, req.run_id);
  const rows = ctx.sql.all('SELECT * FROM steps WHERE run_uuid = ? ORDER BY position', [req.run_id]);
  return { steps: rows.map(stepRecord) };
}

/**
 * The latest successful execution with this cache key in a run that is not
 * deleted: the one a cached step reuses. A cached step records the key too, so
 * a chain of cached runs keeps pointing at a live execution.
 */
export function findCachedStep(ctx: Context, req: FindCachedStepRequest): { step?: StepRecord } {
  if (!req.cache_key) throw invalid("Missing value for required parameter 'cache_key'.");
  const row = ctx.sql.get(
    `SELECT s.* FROM steps s JOIN runs r ON r.run_uuid = s.run_uuid
     WHERE s.cache_key = ? AND s.status = 'SUCCEEDED' AND r.lifecycle_stage = 'active'
     ORDER BY s.end_time DESC LIMIT 1`,
    [req.cache_key],
  );
  return row ? { step: stepRecord(row) } : {};
}

function stepRecord(r: Row): StepRecord {
  return {
    run_id: str(r.run_uuid),
    step_id: str(r.step_id),
    status: str(r.status) as StepRecord['status'],
    start_time: optNum(r.start_time),
    end_time: optNum(r.end_time),
    exit_code: optNum(r.exit_code),
    cached: r.cached === 1,
    log_path: optStr(r.log_path),
    cache_key: optStr(r.cache_key),
    cached_from: optStr(r.cached_from),
    attempts: optNum(r.attempts),
    message: optStr(r.message),
    outputs_digest: optStr(r.outputs_digest),
  };
}

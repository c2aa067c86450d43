import { findRun, type Context } from './context';
import { invalid } from './errors';
import { optNum, optStr, str } from './sql';
import type { Empty, RunIdRequest, StepRecord, UpsertStepRequest } from './types';

const STEP_STATUSES: readonly StepRecord['status'][] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'];

/** Records a pipeline step's state; fields left out keep their stored value. */
export function upsertStep(ctx: Context, req: UpsertStepRequest): Empty {
  findRun(ctx, req.run_id);
  if (!req.step_id) throw invalid("Missing value for required parameter 'step_id'.");
  if (!STEP_STATUSES.includes(req.status)) throw invalid(`Invalid step status '${String(req.status)}'. Expected one of ${STEP_STATUSES.join(', ')}.`);
  ctx.sql.run(
    `INSERT INTO steps (run_uuid, step_id, status, start_time, end_time, exit_code, cached, log_path, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COUNT(*) FROM steps WHERE run_uuid = ?))
     ON CONFLICT (run_uuid, step_id) DO UPDATE SET status = excluded.status,
       start_time = COALESCE(excluded.start_time, steps.start_time), end_time = COALESCE(excluded.end_time, steps.end_time),
       exit_code = COALESCE(excluded.exit_code, steps.exit_code), cached = excluded.cached, log_path = COALESCE(excluded.log_path, steps.log_path)`,
    [req.run_id, req.step_id, req.status, req.start_time ?? null, req.end_time ?? null, req.exit_code ?? null, req.cached ? 1 : 0, req.log_path ?? null, req.run_id],
  );
  ctx.env.emit({ kind: 'step', ids: [req.run_id, req.step_id], op: 'update' });
  return {};
}

/** A run's steps in the order they were first recorded. */
export function listSteps(ctx: Context, req: RunIdRequest): { steps: StepRecord[] } {
  findRun(ctx, req.run_id);
  const rows = ctx.sql.all('SELECT * FROM steps WHERE run_uuid = ? ORDER BY position', [req.run_id]);
  return {
    steps: rows.map((r) => ({
      run_id: req.run_id,
      step_id: str(r.step_id),
      status: str(r.status) as StepRecord['status'],
      start_time: optNum(r.start_time),
      end_time: optNum(r.end_time),
      exit_code: optNum(r.exit_code),
      cached: r.cached === 1,
      log_path: optStr(r.log_path),
    })),
  };
}

import type { Context } from './context';
import { invalid } from './errors';
import { str } from './sql';
import type { ListMonitorResultsRequest, MonitorResult, RecordMonitorResultRequest } from './types';

export function recordMonitorResult(ctx: Context, req: RecordMonitorResultRequest): { id: number } {
  if (!req.monitor) throw invalid("Missing value for required parameter 'monitor'.");
  if (!req.status) throw invalid("Missing value for required parameter 'status'.");
  const time = req.time ?? ctx.env.now();
  ctx.sql.run('INSERT INTO monitor_results (monitor, time, status, payload) VALUES (?, ?, ?, ?)', [
    req.monitor,
    time,
    req.status,
    JSON.stringify(req.payload ?? null),
  ]);
  const id = Number(ctx.sql.get('SELECT last_insert_rowid() AS id')?.id);
  ctx.env.emit({ kind: 'monitor', ids: [req.monitor], op: 'create' });
  return { id };
}

/** The newest results of one monitor first. */
export function listMonitorResults(ctx: Context, req: ListMonitorResultsRequest): { results: MonitorResult[] } {
  const rows = ctx.sql.all('SELECT * FROM monitor_results WHERE monitor = ? ORDER BY time DESC, id DESC LIMIT ?', [
    req.monitor,
    req.max_results ?? 100,
  ]);
  return {
    results: rows.map((r) => ({
      id: Number(r.id),
      monitor: str(r.monitor),
      time: Number(r.time),
      status: str(r.status),
      payload: JSON.parse(str(r.payload)) as unknown,
    })),
  };
}

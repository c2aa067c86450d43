import type { Context } from './context';
import type { StoreSize } from './types';

/**
 * How big the store is, cheaply (a few milliseconds at ten million points): the image's bytes from
 * SQLite's page count, metric points from the per-block counts of `metric_blocks` (drawable points;
 * a point written twice counts twice), runs. `wasmHeapBytes` is the host's, when it knows it.
 */
export function getStoreSize(ctx: Context, wasmHeapBytes?: () => number | undefined): StoreSize {
  const pages = Number(ctx.sql.get('PRAGMA page_count')?.page_count ?? 0);
  const pageSize = Number(ctx.sql.get('PRAGMA page_size')?.page_size ?? 0);
  const points = Number(ctx.sql.get('SELECT COALESCE(SUM(n), 0) AS n FROM metric_blocks')?.n ?? 0);
  const runs = Number(ctx.sql.get('SELECT COUNT(*) AS n FROM runs')?.n ?? 0);
  const heap = wasmHeapBytes?.();
  return { imageBytes: pages * pageSize, metricPoints: points, runs, ...(heap === undefined ? {} : { wasmHeapBytes: heap }) };
}

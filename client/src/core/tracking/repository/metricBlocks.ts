import type { Context } from './context';

/** Steps per block of `metric_blocks` (a shift, so SQL and TypeScript agree: block = step >> 8). */
export const BLOCK_SHIFT = 8;

interface BlockRow {
  key: string;
  value: number;
  isNan: 0 | 1;
  timestamp: number;
  step: number;
}

interface Block {
  key: string;
  block: number;
  n: number;
  minStep: number;
  maxStep: number;
  minTs: number;
  maxTs: number;
  lo: BlockRow;
  hi: BlockRow;
}

// In an UPDATE every right-hand side reads the row as it was, so the order of the assignments does not matter.
const UPSERT_BLOCK = `INSERT INTO metric_blocks (run, key, block, n, min_step, max_step, min_ts, max_ts, lo_value, lo_step, lo_ts, hi_value, hi_step, hi_ts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run, key, block) DO UPDATE SET n = n + excluded.n,
  min_step = MIN(min_step, excluded.min_step), max_step = MAX(max_step, excluded.max_step),
  min_ts = MIN(min_ts, excluded.min_ts), max_ts = MAX(max_ts, excluded.max_ts),
  lo_value = MIN(lo_value, excluded.lo_value),
  lo_step = CASE WHEN excluded.lo_value < lo_value THEN excluded.lo_step ELSE lo_step END,
  lo_ts = CASE WHEN excluded.lo_value < lo_value THEN excluded.lo_ts ELSE lo_ts END,
  hi_value = MAX(hi_value, excluded.hi_value),
  hi_step = CASE WHEN excluded.hi_value > hi_value THEN excluded.hi_step ELSE hi_step END,
  hi_ts = CASE WHEN excluded.hi_value > hi_value THEN excluded.hi_ts ELSE hi_ts END`;

/**
 * Folds written points into their blocks' summaries (count, bounds, lowest and highest point).
 * Runs inside the write's transaction; a point written twice (ignored by `metrics`) is counted
 * twice, which only makes `n` an upper bound.
 */
export function updateMetricBlocks(ctx: Context, run: number, rows: readonly BlockRow[]): void {
  const blocks = new Map<string, Block>();
  for (const r of rows) {
    if (r.isNan || !Number.isFinite(r.value)) continue;
    const block = Math.floor(r.step / 2 ** BLOCK_SHIFT);
    const id = `${block}\u0000${r.key}`;
    const b = blocks.get(id);
    if (!b) {
      blocks.set(id, { key: r.key, block, n: 1, minStep: r.step, maxStep: r.step, minTs: r.timestamp, maxTs: r.timestamp, lo: r, hi: r });
      continue;
    }
    b.n++;
    b.minStep = Math.min(b.minStep, r.step);
    b.maxStep = Math.max(b.maxStep, r.step);
    b.minTs = Math.min(b.minTs, r.timestamp);
    b.maxTs = Math.max(b.maxTs, r.timestamp);
    if (r.value < b.lo.value) b.lo = r;
    if (r.value > b.hi.value) b.hi = r;
  }
  for (const b of blocks.values()) {
    ctx.sql.run(UPSERT_BLOCK, [
      run,
      b.key,
      b.block,
      b.n,
      b.minStep,
      b.maxStep,
      b.minTs,
      b.maxTs,
      b.lo.value,
      b.lo.step,
      b.lo.timestamp,
      b.hi.value,
      b.hi.step,
      b.hi.timestamp,
    ]);
  }
}

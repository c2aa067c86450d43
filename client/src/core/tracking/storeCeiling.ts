import type { StoreSize } from './repository';

// The size above which the workspace store recommends a tracking server (docs/tracking-store.md,
// "Ceiling"). The whole database lives in memory and every save writes the whole image, so its cost
// grows with the store; test/bench/tracking/tenMillion.ts measures where.

/** Metric points above which a tracking server is recommended. */
export const CEILING_POINTS = 10_000_000;
/** Image bytes above which a tracking server is recommended, whatever the points (params, tags, long keys). */
export const CEILING_IMAGE_BYTES = 512 * 1024 * 1024;
/** From this fraction of the ceiling on, the tooltip says how close the store is. */
const NEAR = 0.8;

export interface CeilingVerdict {
  level: 'ok' | 'near' | 'over';
  /** One line for the tooltip (empty when nothing needs saying). */
  message: string;
}

const millions = (n: number) => (n < 1e6 ? n.toLocaleString('en-US') : `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} million`);
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MiB`;

/**
 * Whether the store is past (or near) the ceiling, by its points or its image, whichever is closer;
 * `ceilingPoints` is the points' ceiling (`mlops.tracking.ceilingPoints`, default CEILING_POINTS).
 */
export function ceilingVerdict(size: Pick<StoreSize, 'imageBytes' | 'metricPoints'>, ceilingPoints = CEILING_POINTS): CeilingVerdict {
  const points = Number.isFinite(ceilingPoints) && ceilingPoints >= 1 ? ceilingPoints : CEILING_POINTS;
  const fraction = Math.max(size.metricPoints / points, size.imageBytes / CEILING_IMAGE_BYTES);
  const holds = `The workspace store holds ${millions(size.metricPoints)} metric points (${mib(size.imageBytes)})`;
  if (fraction > 1)
    return {
      level: 'over',
      message: `${holds}, past its ceiling of ${millions(points)} points or ${mib(CEILING_IMAGE_BYTES)}: saves and opening slow down and memory grows with it. Log to a tracking server (MLflow) instead.`,
    };
  if (fraction >= NEAR)
    return {
      level: 'near',
      message: `${holds}, ${Math.round(fraction * 100)}% of its ceiling (${millions(points)} points or ${mib(CEILING_IMAGE_BYTES)}); above it a tracking server is recommended.`,
    };
  return { level: 'ok', message: '' };
}

import type { PipelineContext } from '../schema';

/**
 * What a map holds, by where it sits: one of the key table's contexts, or a
 * map of names (params, steps, outputs, env variables).
 */
export type MapKind = PipelineContext | 'params' | 'steps' | 'outputs' | 'env' | 'other';

/** A map in a pipeline file. */
export interface MapPlace {
  readonly kind: MapKind;
  /** The keys from the root to the map: `['steps', 'train', 'outputs']`. */
  readonly path: readonly string[];
  /** The step the map belongs to (its body or anything below it). */
  readonly step?: string;
}

const PIPELINE_CONTEXTS: ReadonlySet<MapKind> = new Set<MapKind>(['top', 'param', 'step', 'output', 'register', 'resources']);

export function isPipelineContext(kind: MapKind): kind is PipelineContext {
  return PIPELINE_CONTEXTS.has(kind);
}

function kindOf(path: readonly string[]): MapKind {
  const [first, , third] = path;
  switch (path.length) {
    case 0:
      return 'top';
    case 1:
      return first === 'params'
        ? 'params'
        : first === 'steps'
          ? 'steps'
          : first === 'register'
            ? 'register'
            : first === 'env'
              ? 'env'
              : 'other';
    case 2:
      return first === 'params' ? 'param' : first === 'steps' ? 'step' : 'other';
    case 3:
      if (first !== 'steps') return 'other';
      return third === 'outputs' ? 'outputs' : third === 'resources' ? 'resources' : third === 'env' ? 'env' : 'other';
    case 4:
      return first === 'steps' && third === 'outputs' ? 'output' : 'other';
    default:
      return 'other';
  }
}

/** The map at `path`. */
export function mapKindOf(path: readonly string[]): MapPlace {
  const step = path[0] === 'steps' && path.length >= 2 ? path[1] : undefined;
  return { kind: kindOf(path), path, ...(step !== undefined ? { step } : {}) };
}

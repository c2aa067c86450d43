import { ITEM } from '../../../../common/src/yaml/cursor';
import type { FeaturesContext } from '../../../../common/src/features/schema';

/** The key-table context of the map at `path` in a features file, or undefined for a map of another kind. */
export function featuresContextOf(path: readonly string[]): FeaturesContext | undefined {
  const p = path.join('/');
  switch (p) {
    case '':
      return 'top';
    case `entities/${ITEM}`:
      return 'entity';
    case `sources/${ITEM}`:
    case `feature_views/${ITEM}/source`:
    case `feature_views/${ITEM}/batch_source`:
      return 'source';
    case `feature_views/${ITEM}`:
      return 'view';
    case `feature_views/${ITEM}/schema/${ITEM}`:
    case `feature_views/${ITEM}/features/${ITEM}`:
      return 'field';
    case `feature_services/${ITEM}`:
      return 'service';
    default:
      return undefined;
  }
}

/** `feature_views/[]/...`: the path of the view the cursor is in. */
export function viewPath(path: readonly string[]): readonly string[] | undefined {
  return path[0] === 'feature_views' && path[1] === ITEM ? path.slice(0, 2) : undefined;
}

/** The path of the source map the cursor is in: a top-level source or a view's inline one. */
export function sourcePath(path: readonly string[]): readonly string[] | undefined {
  if (path[0] === 'sources' && path[1] === ITEM) return path.slice(0, 2);
  if (path[0] === 'feature_views' && path[1] === ITEM && (path[2] === 'source' || path[2] === 'batch_source')) return path.slice(0, 3);
  return undefined;
}

import type { StoreChange } from '../tracking/repository';

/** Which parts of the trees a batch of store changes touches, so only those rows refresh. */
export interface TreeRefresh {
  /** The experiment list itself (created, renamed, deleted experiments). */
  readonly experiments: boolean;
  /** Runs created, deleted or restored: their experiments' run lists change (the tree looks the experiment up). */
  readonly listedRuns: ReadonlySet<string>;
  /** Runs whose row or children changed (status, name, metrics, params, tags, steps). */
  readonly runs: ReadonlySet<string>;
  /** The model list (created, renamed, deleted models). */
  readonly models: boolean;
  /** Models whose versions changed (a version created, staged, aliased, deleted). */
  readonly modelVersions: ReadonlySet<string>;
}

export function routeChanges(changes: readonly StoreChange[]): TreeRefresh {
  let experiments = false;
  let models = false;
  const listedRuns = new Set<string>();
  const runs = new Set<string>();
  const modelVersions = new Set<string>();
  for (const change of changes) {
    switch (change.kind) {
      case 'experiment':
        experiments = true;
        break;
      case 'run':
        for (const id of change.ids) {
          runs.add(id);
          if (change.op !== 'update') listedRuns.add(id);
        }
        break;
      case 'metric':
      case 'param':
      case 'tag':
        for (const id of change.ids) runs.add(id);
        break;
      case 'step':
        if (change.ids[0]) runs.add(change.ids[0]);
        break;
      case 'model':
        models = true;
        for (const id of change.ids) modelVersions.add(id);
        break;
      case 'modelVersion':
      case 'alias':
        if (change.ids[0]) modelVersions.add(change.ids[0]);
        break;
      case 'monitor':
      case 'online':
        break;
    }
  }
  return { experiments, listedRuns, runs, models, modelVersions };
}

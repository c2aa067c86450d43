import type { ArtifactEntry } from './runDetails';
import type { RunRow } from './runRows';
import type { KeyValue, Metric, StepRecord } from '../tracking/repository';

/** The rows of the Experiments tree. Objects are kept per id so a refresh keeps expansion and selection. */
export type ExperimentsNode =
  | { readonly kind: 'experiment'; readonly id: string; name: string }
  | { readonly kind: 'run'; readonly id: string; row: RunRow }
  | { readonly kind: 'more'; readonly id: string; readonly experimentId: string }
  | { readonly kind: 'group'; readonly id: string; readonly runId: string; readonly group: RunGroup }
  | { readonly kind: 'param'; readonly id: string; readonly runId: string; readonly param: KeyValue }
  | { readonly kind: 'metric'; readonly id: string; readonly runId: string; readonly metric: Metric }
  | { readonly kind: 'step'; readonly id: string; readonly runId: string; readonly step: StepRecord }
  | { readonly kind: 'tag'; readonly id: string; readonly runId: string; readonly tag: KeyValue }
  | { readonly kind: 'note'; readonly id: string; readonly runId: string; readonly note: string }
  | { readonly kind: 'artifact'; readonly id: string; readonly runId: string; readonly entry: ArtifactEntry }
  | { readonly kind: 'empty'; readonly id: string; readonly text: string };

export type RunGroup = 'params' | 'metrics' | 'steps' | 'artifacts' | 'tags';

export const GROUPS: readonly { group: RunGroup; label: string; icon: string }[] = [
  { group: 'params', label: 'Params', icon: 'symbol-parameter' },
  { group: 'metrics', label: 'Metrics', icon: 'graph-line' },
  { group: 'steps', label: 'Steps', icon: 'list-ordered' },
  { group: 'artifacts', label: 'Artifacts', icon: 'package' },
  { group: 'tags', label: 'Tags and note', icon: 'tag' },
];

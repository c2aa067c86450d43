import type { StoreChange, TrackingApi } from '../tracking/repository';
import { routeChanges } from './changeRouting';
import { NodeCache } from './nodeCache';
import { GROUPS, type ExperimentsNode } from './experimentNodes';
import { artifactEntries, remoteArtifactEntries, runDetails, type ArtifactLister } from './runDetails';
import { DEFAULT_QUERY, runsPage, type RunListQuery } from './runQuery';
import { runRow, type RunRow } from './runRows';

type Node<K extends ExperimentsNode['kind']> = Extract<ExperimentsNode, { kind: K }>;

interface ExperimentState {
  runIds: string[];
  nextPageToken?: string;
  keyMetric?: string;
  loaded: boolean;
}

/**
 * The Experiments tree without VS Code: experiments, their runs in pages,
 * each run's groups. Nodes are kept per id, so a refresh hands VS Code the
 * same objects (and ids) and expansion and selection survive. Store changes
 * are turned into the few nodes to refresh; nothing polls and nothing
 * re-reads the whole database.
 */
export class ExperimentsTreeModel {
  private readonly nodes = new NodeCache<ExperimentsNode>();
  private readonly experiments = new Map<string, ExperimentState>();
  /** Run id -> experiment id, for the runs loaded so far. */
  private readonly runExperiment = new Map<string, string>();
  query: RunListQuery = DEFAULT_QUERY;

  constructor(
    private readonly api: () => Promise<TrackingApi | undefined>,
    /** How to list artifacts that are not on this machine (a team server's); none: they are not shown. */
    private readonly artifacts: () => ArtifactLister | undefined = () => undefined,
  ) {}

  private node<N extends ExperimentsNode>(made: N): N {
    return this.nodes.keep(made);
  }

  get(id: string): ExperimentsNode | undefined {
    return this.nodes.get(id);
  }

  async children(parent?: ExperimentsNode): Promise<ExperimentsNode[]> {
    const api = await this.api();
    if (!api) return [];
    if (!parent) {
      const { experiments } = await api.searchExperiments({ max_results: 1000, order_by: ['name ASC'] });
      return experiments.map((e) => this.node({ kind: 'experiment', id: `exp:${e.experiment_id}`, name: e.name }));
    }
    switch (parent.kind) {
      case 'experiment':
        return this.runsOf(api, parent.id.slice(4));
      case 'run':
        return GROUPS.map(({ group }) => this.node({ kind: 'group', id: `${parent.id}:${group}`, runId: parent.row.runId, group }));
      case 'group':
        return this.groupChildren(api, parent);
      case 'artifact':
        if (parent.entry.isDir && parent.entry.artifactUri !== undefined)
          return this.remoteArtifactChildren(parent.runId, parent.entry.artifactUri, parent.entry.path);
        return parent.entry.isDir
          ? this.artifactChildren(
              parent.runId,
              parent.entry.absolute.slice(0, parent.entry.absolute.length - parent.entry.path.length),
              parent.entry.path,
            )
          : [];
      default:
        return [];
    }
  }

  /** The parent of a node, for `TreeView.reveal`. */
  parent(node: ExperimentsNode): ExperimentsNode | undefined {
    switch (node.kind) {
      case 'experiment':
        return undefined;
      case 'run':
        return this.nodes.get(`exp:${node.row.experimentId}`);
      case 'more':
        return this.nodes.get(`exp:${node.experimentId}`);
      case 'group':
        return this.nodes.get(`run:${node.runId}`);
      case 'artifact': {
        const slash = node.entry.path.lastIndexOf('/');
        return this.nodes.get(slash === -1 ? `run:${node.runId}:artifacts` : `art:${node.runId}:${node.entry.path.slice(0, slash)}`);
      }
      case 'empty':
        return undefined;
      default:
        return this.nodes.get(
          `run:${node.runId}:${node.kind === 'param' ? 'params' : node.kind === 'metric' ? 'metrics' : node.kind === 'step' ? 'steps' : 'tags'}`,
        );
    }
  }

  private async runsOf(api: TrackingApi, experimentId: string): Promise<ExperimentsNode[]> {
    let state = this.experiments.get(experimentId);
    if (!state?.loaded) {
      state = { runIds: [], loaded: true };
      this.experiments.set(experimentId, state);
      await this.loadPage(api, experimentId, state);
    }
    const rows = state.runIds.map((id) => this.nodes.get(`run:${id}`)).filter((n): n is Node<'run'> => n !== undefined);
    if (rows.length === 0)
      return [
        this.node({
          kind: 'empty',
          id: `exp:${experimentId}:empty`,
          text: this.query.filter ? 'No run matches the filter' : 'No runs yet',
        }),
      ];
    return state.nextPageToken ? [...rows, this.node({ kind: 'more', id: `exp:${experimentId}:more`, experimentId })] : rows;
  }

  private async loadPage(api: TrackingApi, experimentId: string, state: ExperimentState): Promise<void> {
    const page = await runsPage(api, experimentId, this.query, {
      ...(state.nextPageToken ? { token: state.nextPageToken } : {}),
      ...(state.keyMetric ? { keyMetric: state.keyMetric } : {}),
    });
    for (const row of page.rows) this.addRun(row);
    state.runIds.push(...page.rows.map((r) => r.runId).filter((id) => !state.runIds.includes(id)));
    if (page.nextPageToken) state.nextPageToken = page.nextPageToken;
    else delete state.nextPageToken;
    if (page.keyMetric) state.keyMetric = page.keyMetric;
  }

  private addRun(row: RunRow): Node<'run'> {
    this.runExperiment.set(row.runId, row.experimentId);
    return this.node({ kind: 'run', id: `run:${row.runId}`, row });
  }

  /** "Load more": the next page of an experiment; returns the experiment node to refresh. */
  async loadMore(experimentId: string): Promise<ExperimentsNode | undefined> {
    const api = await this.api();
    const state = this.experiments.get(experimentId);
    if (!api || !state?.nextPageToken) return undefined;
    await this.loadPage(api, experimentId, state);
    return this.nodes.get(`exp:${experimentId}`);
  }

  private async groupChildren(api: TrackingApi, parent: Node<'group'>): Promise<ExperimentsNode[]> {
    const runId = parent.runId;
    if (parent.group === 'artifacts') {
      const details = await runDetails(api, runId);
      if (details.artifactRoot) return this.artifactChildren(runId, details.artifactRoot, '');
      if (this.artifacts()) return this.remoteArtifactChildren(runId, details.artifactUri, '');
      return [this.node({ kind: 'empty', id: `${parent.id}:empty`, text: `Artifacts are at ${details.artifactUri}` })];
    }
    const details = await runDetails(api, runId);
    const none = (text: string) => [this.node({ kind: 'empty', id: `${parent.id}:empty`, text })];
    switch (parent.group) {
      case 'params':
        return details.params.length
          ? details.params.map((param) => this.node({ kind: 'param', id: `${parent.id}:${param.key}`, runId, param }))
          : none('No params');
      case 'metrics':
        return details.metrics.length
          ? details.metrics.map((metric) => this.node({ kind: 'metric', id: `${parent.id}:${metric.key}`, runId, metric }))
          : none('No metrics');
      case 'steps':
        return details.steps.length
          ? details.steps.map((step) => this.node({ kind: 'step', id: `${parent.id}:${step.step_id}`, runId, step }))
          : none('Not a pipeline run');
      case 'tags': {
        const out: ExperimentsNode[] = details.tags.map((tag) => this.node({ kind: 'tag', id: `${parent.id}:${tag.key}`, runId, tag }));
        if (details.note) out.unshift(this.node({ kind: 'note', id: `${parent.id}:note`, runId, note: details.note }));
        return out.length ? out : none('No tags');
      }
    }
  }

  private async artifactChildren(runId: string, root: string, relative: string): Promise<ExperimentsNode[]> {
    const entries = await artifactEntries(root, relative);
    if (entries.length === 0 && relative === '')
      return [this.node({ kind: 'empty', id: `run:${runId}:artifacts:empty`, text: 'No artifacts' })];
    return entries.map((entry) => this.node({ kind: 'artifact', id: `art:${runId}:${entry.path}`, runId, entry }));
  }

  private async remoteArtifactChildren(runId: string, artifactUri: string, relative: string): Promise<ExperimentsNode[]> {
    const lister = this.artifacts();
    const entries = lister ? await remoteArtifactEntries(lister, runId, artifactUri, relative) : [];
    if (entries.length === 0 && relative === '')
      return [this.node({ kind: 'empty', id: `run:${runId}:artifacts:empty`, text: 'No artifacts' })];
    return entries.map((entry) => this.node({ kind: 'artifact', id: `art:${runId}:${entry.path}`, runId, entry }));
  }

  /** Filter or sort changed: every experiment lists its runs again from the first page. */
  setQuery(query: RunListQuery): void {
    this.query = query;
    this.experiments.clear();
  }

  /** Everything again (the Refresh button). */
  reset(): void {
    this.experiments.clear();
  }

  /**
   * Applies a batch of store changes and returns the nodes whose subtrees
   * changed (`undefined` in the list means the root). A run's row is updated
   * in place; a new or deleted run reloads its experiment's list, keeping
   * as many runs loaded as before.
   */
  async applyChanges(changes: readonly StoreChange[]): Promise<(ExperimentsNode | undefined)[]> {
    const api = await this.api();
    if (!api) return [];
    const refresh = routeChanges(changes);
    if (refresh.experiments) {
      this.experiments.clear();
      return [undefined];
    }
    const out = new Set<ExperimentsNode | undefined>();
    const relist = new Set<string>();
    for (const runId of refresh.listedRuns) {
      const experimentId =
        this.runExperiment.get(runId) ??
        (await api
          .getRun({ run_id: runId })
          .then((r) => r.run.info.experiment_id)
          .catch(() => undefined));
      if (experimentId) relist.add(experimentId);
    }
    for (const experimentId of relist) {
      const state = this.experiments.get(experimentId);
      const node = this.nodes.get(`exp:${experimentId}`);
      if (!state?.loaded || !node) continue;
      const keep = state.runIds.length;
      const fresh: ExperimentState = { runIds: [], loaded: true, ...(state.keyMetric ? { keyMetric: state.keyMetric } : {}) };
      do await this.loadPage(api, experimentId, fresh);
      while (fresh.nextPageToken && fresh.runIds.length < keep);
      this.experiments.set(experimentId, fresh);
      out.add(node);
    }
    for (const runId of refresh.runs) {
      const node = this.nodes.get(`run:${runId}`);
      if (!node || node.kind !== 'run' || relist.has(node.row.experimentId)) continue;
      const keyMetric = this.experiments.get(node.row.experimentId)?.keyMetric;
      try {
        const { run } = await api.getRun({ run_id: runId });
        this.addRun(runRow(run, keyMetric));
        out.add(node);
      } catch {
        // Deleted meanwhile: its experiment relists on the delete event.
      }
    }
    return [...out];
  }

  /** The node of a run, loading its experiment's pages until it appears (at most `maxPages`). */
  async findRun(runId: string, maxPages = 20): Promise<ExperimentsNode | undefined> {
    const existing = this.nodes.get(`run:${runId}`);
    const api = await this.api();
    if (!api) return existing;
    const experimentId = this.runExperiment.get(runId) ?? (await api.getRun({ run_id: runId })).run.info.experiment_id;
    await this.children(undefined);
    let state = this.experiments.get(experimentId);
    if (!state?.loaded) {
      await this.runsOf(api, experimentId);
      state = this.experiments.get(experimentId)!;
    }
    for (let page = 0; !state.runIds.includes(runId) && state.nextPageToken && page < maxPages; page++)
      await this.loadPage(api, experimentId, state);
    return state.runIds.includes(runId) ? this.nodes.get(`run:${runId}`) : undefined;
  }
}

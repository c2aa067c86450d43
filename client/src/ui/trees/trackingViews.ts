import * as vscode from 'vscode';
import { errorMessage } from '../../../../common/src/errors';
import { Commands, ContextKeys } from '../../../../common/src/ids/commands';
import { Views } from '../../../../common/src/ids/viewTypes';
import type { TrackingApi } from '../../core/tracking/repository';
import { MlflowError } from '../../core/tracking/repository/errors';
import { DEFAULT_QUERY, describeQuery, type RunListQuery } from '../../core/views/runQuery';
import { ChartPanels } from '../charts/chartPanels';
import { registerChartCommands } from '../charts/chartCommands';
import type { DisposableTree } from '../disposables';
import { notify } from '../notify';
import { registerArtifactCommands } from './artifactCommands';
import { ExperimentsTreeProvider } from './experimentsTree';
import { registerRegistryCommands } from './registryCommands';
import { RegistryTreeProvider } from './registryTree';
import { registerRunCommands } from './runCommands';
import type { TreeCommandContext } from './treeCommandContext';
import type { TrackingSource } from './trackingSource';

/** The Experiments and Model Registry views, every command that acts on them, and the metrics and compare panels. */
export function registerTrackingViews(
  tree: DisposableTree,
  source: TrackingSource,
  output: vscode.LogOutputChannel,
  extensionUri: vscode.Uri,
): { experiments: ExperimentsTreeProvider; registry: RegistryTreeProvider; revealRun: (runId: string) => Promise<void> } {
  const experiments = tree.track(new ExperimentsTreeProvider(source, output));
  const registry = tree.track(new RegistryTreeProvider(source, output));
  const experimentsView = tree.track(
    vscode.window.createTreeView(Views.experiments, { treeDataProvider: experiments, canSelectMany: true, showCollapseAll: true }),
  );
  const modelsView = tree.track(vscode.window.createTreeView(Views.models, { treeDataProvider: registry, showCollapseAll: true }));
  for (const view of [experimentsView, modelsView]) if (source.followVisibility) tree.track(source.followVisibility(view));

  const register = (id: string, fn: (...args: never[]) => unknown) => tree.track(vscode.commands.registerCommand(id, fn));
  const withApi = async (use: (api: TrackingApi) => Promise<void>) => {
    const api = await source.api();
    if (!api) {
      void notify.info(
        vscode.workspace.isTrusted
          ? 'the tracking store is not open. See "MLOps: Show Output" for why.'
          : 'the tracking store stays closed in Restricted Mode. Trust the workspace to use it.',
      );
      return;
    }
    try {
      await use(api);
    } catch (error) {
      const message = errorMessage(error);
      output.error(message);
      void notify.error(message);
    }
  };
  const ctx: TreeCommandContext = {
    register,
    withApi,
    remoteArtifacts: () => source.remoteArtifacts?.(),
    revealRun: async (runId) => {
      const node = await experiments.model.findRun(runId);
      if (!node) {
        void notify.info(`run ${runId} is not in the Experiments view${experiments.model.query.filter ? ' (the filter hides it)' : ''}.`);
        return;
      }
      experiments.refresh(experiments.model.parent(node));
      await experimentsView.reveal(node, { select: true, focus: true, expand: true });
    },
  };

  const showQuery = (query: RunListQuery) => {
    experiments.model.setQuery(query);
    const isDefault = !query.filter && query.sort.by === 'start_time' && query.sort.descending;
    experimentsView.description = isDefault ? undefined : describeQuery(query);
    void vscode.commands.executeCommand('setContext', ContextKeys.runFilterActive, Boolean(query.filter));
    experiments.refresh();
  };

  register(Commands.refreshExperiments, () => experiments.refresh());
  register(Commands.refreshModels, () => registry.refresh());
  register(Commands.loadMoreRuns, async (experimentId: string) => {
    const node = await experiments.model.loadMore(experimentId);
    if (node) experiments.refresh(node);
  });
  register(Commands.filterRuns, () =>
    withApi(async (api) => {
      let value = experiments.model.query.filter ?? '';
      for (;;) {
        const filter = await vscode.window.showInputBox({
          title: 'Filter runs (MLflow search syntax)',
          value,
          placeHolder: "metrics.auc > 0.9 and params.n_estimators = '100'",
          prompt: 'Attributes, metrics., params. and tags. with = != < <= > >= LIKE ILIKE IN; empty shows every run',
        });
        if (filter === undefined) return;
        try {
          // Check the syntax against the store before applying it: the message names the bad token.
          if (filter.trim()) await api.searchRuns({ experiment_ids: ['0'], filter: filter.trim(), max_results: 1 });
          const sort = experiments.model.query.sort;
          showQuery(filter.trim() ? { filter: filter.trim(), sort } : { sort });
          return;
        } catch (error) {
          if (!(error instanceof MlflowError)) throw error;
          void notify.error(`invalid filter: ${error.message}`);
          value = filter;
        }
      }
    }),
  );
  register(Commands.clearRunFilter, () => showQuery({ sort: experiments.model.query.sort }));
  register(Commands.sortRuns, () =>
    withApi(async (api) => {
      const { experiments: all } = await api.searchExperiments({ max_results: 1000 });
      const { runs } = await api.searchRuns({ experiment_ids: all.map((e) => e.experiment_id), max_results: 200 });
      const metricKeys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
      const items = [
        { label: 'Start time, newest first', sort: DEFAULT_QUERY.sort },
        { label: 'Start time, oldest first', sort: { by: 'start_time', descending: false } as const },
        { label: 'Name', sort: { by: 'name', descending: false } as const },
        ...metricKeys.flatMap((metric) => [
          { label: `${metric}, highest first`, sort: { by: 'metric', metric, descending: true } as const },
          { label: `${metric}, lowest first`, sort: { by: 'metric', metric, descending: false } as const },
        ]),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Sort runs by' });
      if (picked) showQuery({ ...experiments.model.query, sort: picked.sort });
    }),
  );

  registerRunCommands(ctx);
  registerArtifactCommands(ctx, tree, extensionUri, () => source.api());
  registerRegistryCommands(ctx);
  registerChartCommands(ctx, tree.track(new ChartPanels(extensionUri, source, output, ctx.revealRun)));
  return { experiments, registry, revealRun: ctx.revealRun };
}

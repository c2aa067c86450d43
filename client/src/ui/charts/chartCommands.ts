import * as vscode from 'vscode';
import { Commands } from '../../../../common/src/ids/commands';
import type { TrackingApi } from '../../core/tracking/repository';
import type { ExperimentsNode } from '../../core/views/experimentNodes';
import { runPickItems } from '../../core/views/runPicker';
import { notify } from '../notify';
import { NO_RUNS, type TreeCommandContext } from '../trees/treeCommandContext';
import type { ChartPanels } from './chartPanels';

type RunNode = Extract<ExperimentsNode, { kind: 'run' }>;

/** The run ids of the rows a command was invoked on (the clicked row, or the whole selection). */
function selectedRunIds(arg: unknown, selected: unknown): string[] {
  const nodes = (Array.isArray(selected) ? selected : arg && typeof arg === 'object' ? [arg] : []) as ExperimentsNode[];
  return [...new Set(nodes.flatMap((n) => (n.kind === 'run' ? [(n as RunNode).row.runId] : 'runId' in n ? [n.runId] : [])))];
}

/** Recent runs to pick several of, newest first: `preselected` ticked, else the newest, so that Enter opens it. */
async function pickRuns(api: TrackingApi, title: string, preselected: readonly string[]): Promise<string[] | undefined> {
  const { experiments } = await api.searchExperiments({ max_results: 1000 });
  const { runs } = await api.searchRuns({
    experiment_ids: experiments.map((e) => e.experiment_id),
    max_results: 200,
    order_by: ['attributes.start_time DESC'],
  });
  if (runs.length === 0) {
    void notify.info(NO_RUNS);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runPickItems(runs, preselected, Date.now()).map((item) => ({ ...item, picked: item.preselected })),
    { title, canPickMany: true, matchOnDetail: true },
  );
  return picked?.map((p) => p.runId);
}

/** Show Metrics Charts and Compare Runs: from run rows (one or a selection), metric rows, or the palette. */
export function registerChartCommands(ctx: TreeCommandContext, charts: ChartPanels): void {
  const { register, withApi } = ctx;

  // A metric row's click passes (runId, key); a run row's context menu passes (node, selection).
  register(Commands.showMetrics, (arg?: unknown, second?: unknown) =>
    withApi(async (api) => {
      if (typeof arg === 'string') {
        await charts.showMetrics([arg], typeof second === 'string' ? second : undefined);
        return;
      }
      let runIds = selectedRunIds(arg, second);
      if (runIds.length === 0) runIds = (await pickRuns(api, 'Metrics charts: select runs', [])) ?? [];
      if (runIds.length > 0) await charts.showMetrics(runIds);
    }),
  );

  register(Commands.compareRuns, (arg?: unknown, second?: unknown) =>
    withApi(async (api) => {
      let runIds = selectedRunIds(arg, second);
      if (runIds.length < 2) {
        const picked = await pickRuns(api, 'Compare runs: select the runs (the newest is ticked)', runIds);
        if (!picked) return;
        runIds = picked;
      }
      if (runIds.length === 0) return;
      await charts.showCompare(runIds);
    }),
  );
}

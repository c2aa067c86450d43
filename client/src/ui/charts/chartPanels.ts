import * as vscode from 'vscode';
import { ViewTypes } from '../../../../common/src/ids/viewTypes';
import type {
  CompareHostMessage,
  CompareViewMessage,
  CompareViewState,
  MetricsHostMessage,
  MetricsViewMessage,
  MetricsViewState,
} from '../../../../common/src/protocol/chartMessages';
import { ComparePanelHandler } from '../../core/charts/compareHandler';
import { MetricsPanelHandler } from '../../core/charts/metricsHandler';
import type { TrackingSource } from '../trees/trackingSource';
import { setWebviewPage } from '../webviewPage';
import { saveExport } from './chartWebview';

const DEFAULT_METRICS: MetricsViewState = { runIds: [], xAxis: 'step', smoothing: 0, logScale: false };

interface Open<H> {
  panel: vscode.WebviewPanel;
  handler: H;
}

/**
 * The metrics and compare panels (one of each, reused), their handlers, and their serializers:
 * after a reload VS Code hands back each panel with the state its page saved, and the panel is
 * wired up again from that state.
 */
export class ChartPanels implements vscode.Disposable {
  private metrics: Open<MetricsPanelHandler> | undefined;
  private compare: Open<ComparePanelHandler> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: TrackingSource,
    private readonly output: vscode.LogOutputChannel,
    private readonly revealRun: (runId: string) => Promise<void>,
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(ViewTypes.metrics, {
        deserializeWebviewPanel: async (panel, state: unknown) =>
          this.adoptMetrics(panel, { ...DEFAULT_METRICS, ...(isObject(state) ? (state as Partial<MetricsViewState>) : {}) }),
      }),
      vscode.window.registerWebviewPanelSerializer(ViewTypes.compare, {
        deserializeWebviewPanel: async (panel, state: unknown) =>
          this.adoptCompare(panel, { runIds: [], ...(isObject(state) ? (state as Partial<CompareViewState>) : {}) }),
      }),
      source.onDidChange((batch) => {
        this.metrics?.handler.onStoreChange(batch);
        this.compare?.handler.onStoreChange(batch);
      }),
    );
  }

  /** Opens (or reuses) the metrics panel on these runs, scrolled to `focusKey` if given. */
  async showMetrics(runIds: string[], focusKey?: string): Promise<void> {
    if (this.metrics) {
      this.metrics.panel.reveal(undefined, false);
      await this.metrics.handler.show(runIds, focusKey);
      return;
    }
    const panel = vscode.window.createWebviewPanel(ViewTypes.metrics, 'Metrics', vscode.ViewColumn.Active, {});
    this.adoptMetrics(panel, { ...DEFAULT_METRICS, runIds, ...(focusKey ? { focusKey } : {}) });
  }

  /** Opens (or reuses) the compare panel on these runs. */
  async showCompare(runIds: string[]): Promise<void> {
    if (this.compare) {
      this.compare.panel.reveal(undefined, false);
      this.compare.panel.title = `Compare Runs (${runIds.length})`;
      await this.compare.handler.show(runIds);
      return;
    }
    const panel = vscode.window.createWebviewPanel(ViewTypes.compare, 'Compare Runs', vscode.ViewColumn.Active, {});
    this.adoptCompare(panel, { runIds });
  }

  private adoptMetrics(panel: vscode.WebviewPanel, state: MetricsViewState): void {
    setWebviewPage(panel, this.extensionUri, { bundle: 'metrics', stylesheet: 'charts.css', title: 'Metrics' });
    const title = (s: MetricsViewState) =>
      (panel.title = s.focusKey ? `Metrics: ${s.focusKey}` : `Metrics (${s.runIds.length} run${s.runIds.length === 1 ? '' : 's'})`);
    const handler = new MetricsPanelHandler(
      {
        api: () => this.source.api(),
        post: (message: MetricsHostMessage) => void panel.webview.postMessage(message),
        save: saveExport,
        log: (message) => this.output.info(message),
        onState: title,
      },
      state,
    );
    title(state);
    this.metrics = { panel, handler };
    // A team server is polled every 2 s while live charts are in sight.
    const followed = this.source.followVisibility?.({
      get visible() {
        return panel.visible;
      },
      onDidChangeVisibility: panel.onDidChangeViewState,
    });
    this.wire(
      panel,
      (m: MetricsViewMessage) => handler.handle(m),
      () => {
        followed?.dispose();
        handler.dispose();
        if (this.metrics?.panel === panel) this.metrics = undefined;
      },
    );
  }

  private adoptCompare(panel: vscode.WebviewPanel, state: CompareViewState): void {
    setWebviewPage(panel, this.extensionUri, { bundle: 'compare', stylesheet: 'charts.css', title: 'Compare Runs' });
    panel.title = `Compare Runs (${state.runIds.length})`;
    const handler = new ComparePanelHandler(
      {
        api: () => this.source.api(),
        post: (message: CompareHostMessage) => void panel.webview.postMessage(message),
        showMetrics: (runIds) => this.showMetrics(runIds),
        revealRun: this.revealRun,
        log: (message) => this.output.info(message),
      },
      state,
    );
    this.compare = { panel, handler };
    this.wire(
      panel,
      (m: CompareViewMessage) => handler.handle(m),
      () => {
        handler.dispose();
        if (this.compare?.panel === panel) this.compare = undefined;
      },
    );
  }

  private wire<M>(panel: vscode.WebviewPanel, handle: (message: M) => Promise<void>, disposed: () => void): void {
    const listener = panel.webview.onDidReceiveMessage((message: M) => void handle(message));
    panel.onDidDispose(() => {
      listener.dispose();
      disposed();
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.metrics?.panel.dispose();
    this.compare?.panel.dispose();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

import { errorMessage } from '../../../../common/src/errors';
import type { CompareHostMessage, CompareViewMessage, CompareViewState } from '../../../../common/src/protocol/chartMessages';
import type { StoreChange, TrackingApi } from '../tracking/repository';
import { compareRun, loadRuns, throttle, withPanelStyles } from './chartRuns';

export interface ComparePanelDeps {
  api(): Promise<TrackingApi | undefined>;
  post(message: CompareHostMessage): void;
  showMetrics(runIds: string[]): Promise<void>;
  revealRun(runId: string): Promise<void>;
  log(message: string): void;
}

/** How often at most the table is re-sent while its runs change. */
export const COMPARE_REFRESH_MS = 500;

/** The compare panel's one message handler (no vscode). */
export class ComparePanelHandler {
  private ready = false;
  private readonly refresher = throttle(() => this.load(), COMPARE_REFRESH_MS);

  constructor(
    private readonly deps: ComparePanelDeps,
    private state: CompareViewState,
  ) {}

  get viewState(): CompareViewState {
    return this.state;
  }

  async show(runIds: string[]): Promise<void> {
    this.state = { ...this.state, runIds };
    if (this.ready) await this.load();
  }

  async handle(message: CompareViewMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'initialized':
          this.ready = true;
          await this.load();
          break;
        case 'state':
          this.state = message.payload;
          break;
        case 'showMetrics':
          await this.deps.showMetrics(message.payload.runIds.filter((id) => this.state.runIds.includes(id)));
          break;
        case 'revealRun':
          if (this.state.runIds.includes(message.payload.runId)) await this.deps.revealRun(message.payload.runId);
          break;
      }
    } catch (error) {
      const text = errorMessage(error);
      this.deps.log(`compare panel: ${text}`);
      this.deps.post({ type: 'problem', payload: { message: text } });
    }
  }

  /** Params, metrics, tags or the status of a compared run changed: send the table again (throttled). */
  onStoreChange(batch: readonly StoreChange[]): void {
    if (!this.ready) return;
    // One change names every run of its kind written in the same turn; none: all of them (a reset of the change stream).
    if (
      batch.some(
        (c) =>
          ['metric', 'param', 'tag', 'run'].includes(c.kind) && (c.ids.length === 0 || c.ids.some((id) => this.state.runIds.includes(id))),
      )
    )
      this.refresher.schedule();
  }

  dispose(): void {
    this.refresher.dispose();
  }

  private async load(): Promise<void> {
    const api = await this.deps.api();
    if (!api) {
      this.deps.post({ type: 'problem', payload: { message: 'The tracking store is not open.' } });
      return;
    }
    const { runs } = await loadRuns(api, this.state.runIds);
    this.deps.post({ type: 'compare', payload: { runs: withPanelStyles(runs.map(compareRun)), state: this.state } });
  }
}

import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../../../../common/src/ids/commands';
import type { RunProgress } from './runProgress';

/** "$(sync~spin) churn 1/3 steps" while runs go; hidden otherwise. Clicking offers the terminal or cancelling. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private active = false;

  constructor() {
    this.item = vscode.window.createStatusBarItem('mlops.run', vscode.StatusBarAlignment.Left, 9);
    this.item.name = 'MLOps Pipeline Run';
    this.item.command = Commands.showRunActions;
  }

  update(runs: readonly RunProgress[]): void {
    const active = runs.length > 0;
    if (active !== this.active) {
      this.active = active;
      void vscode.commands.executeCommand('setContext', ContextKeys.runActive, active);
    }
    if (!active) {
      this.item.hide();
      return;
    }
    const [first] = runs;
    this.item.text = runs.length === 1 ? `$(sync~spin) ${first!.statusText()}` : `$(sync~spin) ${runs.length} pipeline runs`;
    this.item.tooltip = `${runs.map((r) => `${r.label()}: ${r.statusText()}${r.running.size ? ` (running ${[...r.running].join(', ')})` : ''}`).join('\n')}\nClick to show the terminal or cancel.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

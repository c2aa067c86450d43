import * as vscode from 'vscode';
import { errorMessage } from '../../../../common/src/errors';
import { Commands } from '../../../../common/src/ids/commands';
import { assessWorkspace, LEVELS, type Assessment, type MaturityItem } from '../../core/maturity/assess';
import type { TrackingSource } from '../trees/trackingSource';

// The Maturity view (docs/maturity.md): the level the workspace reaches as a badge and a first row,
// then the seven checklist items, met or not, with their evidence; an unmet item's row runs its next
// action. It follows the workspace's MLOps and CI files and the store's changes, and sets the
// context keys the Getting Started walkthrough completes its steps by.

export type MaturityNode =
  { kind: 'level'; assessment: Assessment } | { kind: 'item'; item: MaturityItem } | { kind: 'message'; text: string };

const WATCHED = '{**/*.{pipeline,features,monitor}.{yaml,yml},.github/workflows/*.{yml,yaml},.gitlab-ci.yml}';

export class MaturityTreeProvider implements vscode.TreeDataProvider<MaturityNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MaturityNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly assessed = new vscode.EventEmitter<Assessment>();
  /** Each new assessment, for the context keys and the view's badge. */
  readonly onDidAssess = this.assessed.event;
  private timer: NodeJS.Timeout | undefined;
  private latest: Assessment | undefined;

  constructor(
    private readonly tracking: TrackingSource,
    private readonly output: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(WATCHED);
    const soon = () => this.refreshSoon();
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(soon),
      watcher.onDidDelete(soon),
      watcher.onDidChange(soon),
      // Runs, versions, stages and aliases, and monitor checks all move items.
      tracking.onDidChange((batch) => batch.length > 0 && soon()),
    );
    this.refreshSoon(2000);
  }

  get assessment(): Assessment | undefined {
    return this.latest;
  }

  /** Assesses again now; the view and the context keys follow. */
  refresh(): void {
    clearTimeout(this.timer);
    this.running = this.assess();
  }

  /** One assessment for a burst of changes; the first one soon after the window opens, visible or not. */
  refreshSoon(delayMs = 500): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), delayMs);
  }

  private running: Promise<void> | undefined;
  private problem: string | undefined;

  private async assess(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || !vscode.workspace.isTrusted) {
      this.changed.fire(undefined);
      return;
    }
    try {
      const api = await this.tracking.api();
      this.latest = await assessWorkspace({ workspaceDir: folder.uri.fsPath, ...(api ? { api } : {}) });
      this.problem = undefined;
      this.assessed.fire(this.latest);
    } catch (error) {
      this.problem = errorMessage(error);
      this.output.error(`Maturity view: ${this.problem}`);
    }
    this.changed.fire(undefined);
  }

  async getChildren(node?: MaturityNode): Promise<MaturityNode[]> {
    if (node) return [];
    if (!vscode.workspace.workspaceFolders?.length) return [{ kind: 'message', text: 'Open a folder to see where it stands.' }];
    if (!vscode.workspace.isTrusted)
      return [{ kind: 'message', text: 'Trust this workspace to assess it (it reads its files and store).' }];
    if (!this.latest && !this.problem) await (this.running ??= this.assess());
    if (this.problem && !this.latest) return [{ kind: 'message', text: `Could not assess the workspace: ${this.problem}` }];
    const assessment = this.latest!;
    return [{ kind: 'level', assessment }, ...assessment.items.map((item) => ({ kind: 'item' as const, item }))];
  }

  getTreeItem(node: MaturityNode): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text);
    if (node.kind === 'level') {
      const a = node.assessment;
      const row = new vscode.TreeItem(`Level ${a.level} of 4: ${a.levelName}`);
      row.id = 'maturity:level';
      row.iconPath = new vscode.ThemeIcon(
        'graph-line',
        new vscode.ThemeColor(a.level >= 3 ? 'charts.green' : a.level >= 1 ? 'charts.blue' : 'charts.yellow'),
      );
      const next = a.items.filter((i) => a.toNextLevel.includes(i.id)).map((i) => i.title.toLowerCase());
      row.description = a.level < 4 ? `next: ${LEVELS[a.level + 1]}` : 'every item met';
      row.tooltip =
        a.level < 4 ? `Level ${a.level + 1} (${LEVELS[a.level + 1]}) needs: ${next.join(', ')}.` : 'Every item of the checklist is met.';
      return row;
    }
    const { item } = node;
    const row = new vscode.TreeItem(item.title);
    row.id = `maturity:${item.id}`;
    row.description = item.evidence;
    row.iconPath = item.met
      ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('disabledForeground'));
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${item.title}**: ${item.met ? 'met' : 'not met'}\n\n`);
    tooltip.appendText(item.evidence);
    if (item.next) tooltip.appendMarkdown(`\n\nNext: ${item.next.title} (\`${item.next.cli}\`)`);
    row.tooltip = tooltip;
    row.contextValue = item.met ? 'maturityItem.met' : 'maturityItem.unmet';
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (item.next) row.command = { command: Commands.maturityNextAction, title: item.next.title, arguments: [node] };
    else if (item.file && folder)
      row.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.joinPath(folder.uri, item.file)] };
    return row;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.assessed.dispose();
  }
}

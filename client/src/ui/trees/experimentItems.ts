import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runStyle } from '../../../../common/src/charts/runColors';
import { Commands } from '../../../../common/src/ids/commands';
import { MLMODEL_FILE } from '../../core/artifacts/artifactKinds';
import { formatMetric } from '../../core/runner';
import { type ExperimentsNode, GROUPS } from '../../core/views/experimentNodes';
import { formatDuration, relativeTime } from '../../core/views/runRows';

const STATUS_ICONS: Record<string, vscode.ThemeIcon> = {
  RUNNING: new vscode.ThemeIcon('sync~spin'),
  SCHEDULED: new vscode.ThemeIcon('clock'),
  FINISHED: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  SUCCEEDED: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  FAILED: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  KILLED: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped')),
  CANCELLED: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped')),
  SKIPPED: new vscode.ThemeIcon('debug-step-over', new vscode.ThemeColor('testing.iconSkipped')),
  PENDING: new vscode.ThemeIcon('circle-outline'),
};

const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
const None = vscode.TreeItemCollapsibleState.None;

/** The TreeItem of each Experiments row; every string comes from the store and is shown as plain text. */
export function experimentsItem(node: ExperimentsNode, now = Date.now()): vscode.TreeItem {
  switch (node.kind) {
    case 'experiment': {
      const item = new vscode.TreeItem(node.name, Collapsed);
      item.iconPath = new vscode.ThemeIcon('beaker');
      item.contextValue = 'experiment';
      return withId(item, node.id);
    }
    case 'run': {
      const row = node.row;
      const item = new vscode.TreeItem(row.name, Collapsed);
      const parts = [
        formatDuration(row, now),
        row.startTime !== undefined ? relativeTime(row.startTime, now) : undefined,
        row.keyMetric ? `${row.keyMetric.key} ${formatMetric(row.keyMetric.value)}` : undefined,
      ];
      item.description = parts.filter(Boolean).join(' · ');
      item.iconPath = row.deleted ? new vscode.ThemeIcon('trash') : (STATUS_ICONS[row.status] ?? new vscode.ThemeIcon('circle-outline'));
      item.contextValue = row.deleted ? 'run.deleted' : 'run';
      const tooltip = new vscode.MarkdownString();
      tooltip.appendText(`${row.name} — ${row.status}${row.deleted ? ' (deleted)' : ''}\nrun id ${row.runId}`);
      if (row.pipeline) tooltip.appendText(`\npipeline ${row.pipeline}`);
      if (row.startTime !== undefined) tooltip.appendText(`\nstarted ${new Date(row.startTime).toLocaleString()}`);
      item.tooltip = tooltip;
      return withId(item, node.id);
    }
    case 'more': {
      const item = new vscode.TreeItem('Load more…', None);
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: Commands.loadMoreRuns, title: 'Load more runs', arguments: [node.experimentId] };
      return withId(item, node.id);
    }
    case 'group': {
      const spec = GROUPS.find((g) => g.group === node.group)!;
      const item = new vscode.TreeItem(spec.label, Collapsed);
      item.iconPath = new vscode.ThemeIcon(spec.icon);
      item.contextValue = `group.${node.group}`;
      return withId(item, node.id);
    }
    case 'param': {
      const item = new vscode.TreeItem(node.param.key, None);
      item.description = node.param.value;
      item.tooltip = `${node.param.key} = ${node.param.value}`;
      item.contextValue = 'param';
      return withId(item, node.id);
    }
    case 'metric': {
      const item = new vscode.TreeItem(node.metric.key, None);
      const value = typeof node.metric.value === 'number' ? formatMetric(node.metric.value) : String(node.metric.value);
      item.description = value;
      item.tooltip = `${node.metric.key} = ${String(node.metric.value)} (step ${node.metric.step}). Click for its chart.`;
      item.contextValue = 'metric';
      // The run's chart colour (the same hash the charts use), so a line is easy to find.
      item.iconPath = new vscode.ThemeIcon('graph-line', new vscode.ThemeColor(`charts.${runStyle(node.runId).color}`));
      item.command = { command: Commands.showMetrics, title: 'Show Metrics Charts', arguments: [node.runId, node.metric.key] };
      return withId(item, node.id);
    }
    case 'step': {
      const s = node.step;
      const item = new vscode.TreeItem(s.step_id, None);
      const duration =
        s.start_time !== undefined && s.end_time !== undefined
          ? formatDuration({ startTime: s.start_time, endTime: s.end_time, status: 'FINISHED' }, now)
          : undefined;
      item.description = [
        s.status.toLowerCase(),
        s.cached ? `cached${s.cached_from ? ` from ${s.cached_from.slice(0, 8)}` : ''}` : duration,
        s.exit_code !== undefined && s.exit_code !== 0 ? `exit ${s.exit_code}` : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = STATUS_ICONS[s.status] ?? new vscode.ThemeIcon('circle-outline');
      // The log on this machine when it is here; else, on a team's server, the copy in the step's nested run.
      const local = s.log_path !== undefined && existsSync(s.log_path);
      const remoteLog = `logs/${s.step_id}.log`;
      item.tooltip =
        [
          s.message,
          local ? `log: ${s.log_path}` : s.step_run_id ? `log: ${remoteLog} of run ${s.step_run_id} on the tracking server` : undefined,
        ]
          .filter(Boolean)
          .join('\n') || s.status;
      item.contextValue = local || s.step_run_id ? 'step.log' : 'step';
      if (local) item.command = { command: 'vscode.open', title: 'Open Step Log', arguments: [vscode.Uri.file(s.log_path!)] };
      else if (s.step_run_id)
        item.command = { command: Commands.openRunArtifact, title: 'Open Step Log', arguments: [s.step_run_id, remoteLog] };
      return withId(item, node.id);
    }
    case 'tag': {
      const item = new vscode.TreeItem(node.tag.key, None);
      item.description = node.tag.value;
      item.tooltip = `${node.tag.key} = ${node.tag.value}`;
      item.contextValue = 'tag';
      return withId(item, node.id);
    }
    case 'note': {
      const item = new vscode.TreeItem('Note', None);
      item.description = node.note.split('\n')[0];
      item.tooltip = node.note;
      item.iconPath = new vscode.ThemeIcon('note');
      item.contextValue = 'note';
      return withId(item, node.id);
    }
    case 'artifact': {
      const name = node.entry.path.slice(node.entry.path.lastIndexOf('/') + 1);
      // A click opens the file by its kind (artifactOpener.ts): images in the image preview, text as a document, MLmodel in the model panel.
      const open = (size?: number): vscode.Command => ({
        command: Commands.openRunArtifact,
        title: 'Open Artifact',
        arguments: [node.runId, node.entry.path, ...(size !== undefined ? [size] : [])],
      });
      if (node.entry.artifactUri !== undefined) {
        // On a team server: a click downloads the file (or reads it, for text) and opens it.
        const item = new vscode.TreeItem(name, node.entry.isDir ? Collapsed : None);
        item.iconPath = node.entry.isDir ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
        item.contextValue = node.entry.isDir ? 'artifactDir.remote' : 'artifact.remote';
        item.tooltip = `${node.entry.artifactUri}/${node.entry.path}`;
        if (!node.entry.isDir) item.command = open(node.entry.size);
        return withId(item, node.id);
      }
      const uri = vscode.Uri.file(node.entry.absolute);
      const item = new vscode.TreeItem(uri, node.entry.isDir ? Collapsed : None);
      item.iconPath = node.entry.isDir ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
      // A folder holding an MLmodel file is an MLflow model: "Show Model" applies to it.
      const isModel = node.entry.isDir && existsSync(path.join(node.entry.absolute, MLMODEL_FILE));
      item.contextValue = node.entry.isDir ? (isModel ? 'artifactDir.model' : 'artifactDir') : 'artifact';
      if (isModel) item.description = 'MLflow model';
      if (!node.entry.isDir) item.command = open();
      return withId(item, node.id);
    }
    case 'empty': {
      const item = new vscode.TreeItem(node.text, None);
      item.contextValue = 'empty';
      return withId(item, node.id);
    }
  }
}

function withId(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  return item;
}

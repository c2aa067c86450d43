import * as path from 'node:path';
import * as vscode from 'vscode';
import { notify } from '../notify';
import { findPipelineFiles } from '../workspaceFiles';
import type { RunController } from './runController';
import { readTaskDefinition, TASK_SOURCE, TASK_TYPE, taskName, type MlopsTaskDefinition } from './taskDefinition';

/**
 * Task type `mlops`: every workspace pipeline appears in Run Task, and
 * tasks.json entries `{"type": "mlops", "pipeline": ..., "params": {...}}`
 * run through the same terminal renderer as the commands.
 */
export class RunTaskProvider implements vscode.TaskProvider {
  constructor(private readonly runs: RunController) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const uri of await findPipelineFiles()) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder || uri.scheme !== 'file') continue;
      const definition: MlopsTaskDefinition = {
        type: TASK_TYPE,
        pipeline: path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/'),
      };
      tasks.push(this.task(definition, folder));
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = readTaskDefinition(task.definition);
    if ('error' in definition) {
      void notify.error(`${definition.error}.`);
      return undefined;
    }
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    // Keep the definition object VS Code gave: tasks.json entries are matched by it.
    return this.task(definition, folder, task.definition as MlopsTaskDefinition, task.name);
  }

  private task(
    definition: MlopsTaskDefinition,
    folder: vscode.WorkspaceFolder,
    original: MlopsTaskDefinition = definition,
    name = taskName(definition),
  ): vscode.Task {
    const file = path.resolve(folder.uri.fsPath, definition.pipeline);
    const task = new vscode.Task(
      original,
      folder,
      name,
      TASK_SOURCE,
      new vscode.CustomExecution(async () => this.runs.runForTask(name, file, definition.params)),
    );
    task.detail = `Runs ${definition.pipeline} with the MLOps pipeline runner, tracked in .mlops/`;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    return task;
  }
}

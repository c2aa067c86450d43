import type { MlopsDiagnostic } from '../../diagnostics';
import { columnList } from '../../features/rules/columns';
import { kindOfPath } from '../../kinds';
import { isLiteralPath } from '../../yaml/paths';
import { replaceFix, Report } from '../../yaml/report';
import { suggestions } from '../../text/suggest';
import type { ValidationContext } from '../../validation/context';
import type { DataColumns, WorkspaceView } from '../../workspace/types';
import { resolveFrom } from '../../workspace/uris';
import type { MonitorModel } from '../model';

/** How many files of a `current` glob have their columns compared. */
const MAX_CURRENT_FILES = 100;

/**
 * The monitor codes that look beyond the file: `missing-file` (reference,
 * literal current), `column-not-found` (`columns` in reference and in every
 * current file), `unknown-pipeline` and `unknown-param` (`on_drift`).
 */
export function monitorWorkspaceProblems(
  uri: string,
  model: MonitorModel,
  workspace: WorkspaceView,
  context: ValidationContext,
): MlopsDiagnostic[] {
  const report = new Report();
  const files: { path: string; data: DataColumns }[] = [];
  for (const data of [model.reference, model.current]) {
    if (!data) continue;
    if (isLiteralPath(data.name)) {
      if (context.fileExists?.(uri, data.name) === false) {
        report.add('missing-file', data, `\`${data.name}\` does not exist (relative to this file's folder)`, { severity: 'warning' });
        continue;
      }
      const columns = context.dataColumns?.(uri, data.name);
      if (columns) files.push({ path: data.name, data: columns });
    } else if (data === model.current) {
      for (const match of (context.glob?.(uri, data.name) ?? []).slice(0, MAX_CURRENT_FILES)) {
        const columns = context.dataColumns?.(uri, match);
        if (columns) files.push({ path: match, data: columns });
      }
    }
  }
  for (const column of model.columns) {
    const missing = files.filter((f) => !f.data.columns.some((c) => c.name === column.name));
    if (missing.length === 0) continue;
    const names = missing[0]!.data.columns.map((c) => c.name);
    const close = suggestions(column.name, names);
    const inFiles =
      missing
        .slice(0, 3)
        .map((f) => `\`${f.path}\``)
        .join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
    report.add(
      'column-not-found',
      column,
      `column \`${column.name}\` is not in ${inFiles}${close.length > 0 ? `; did you mean \`${close[0]}\`?` : `; its columns: ${columnList(names)}`}`,
      {
        severity: 'warning',
        fixes: close.map((c, i) => replaceFix(`Change to \`${c}\``, column, c, i === 0)),
      },
    );
  }
  pipeline(report, uri, model, workspace, context);
  return report.diagnostics;
}

function pipeline(report: Report, uri: string, model: MonitorModel, workspace: WorkspaceView, context: ValidationContext): void {
  const ref = model.runPipeline;
  if (!ref) return;
  if (kindOfPath(ref.name) !== 'pipeline') {
    report.add(
      'unknown-pipeline',
      ref,
      `\`${ref.name}\` is not a pipeline file: pipeline file names end in \`.pipeline.yaml\` or \`.pipeline.yml\``,
    );
    return;
  }
  const path = resolveFrom(uri, ref.name);
  const found = path !== undefined ? workspace.pipelineAt(path) : undefined;
  if (!found) {
    // Outside the workspace folders the disk still knows; with neither, nothing can be said.
    const onDisk = context.fileExists?.(uri, ref.name);
    if (onDisk === true || (onDisk === undefined && !context.workspace)) return;
    const known = workspace.pipelines().map((p) => p.uri.slice(p.uri.lastIndexOf('/') + 1));
    const close = suggestions(ref.name.slice(ref.name.lastIndexOf('/') + 1), known);
    report.add(
      'unknown-pipeline',
      ref,
      `no pipeline file \`${ref.name}\` (relative to this file's folder)${close.length > 0 ? `; did you mean \`${close[0]}\`?` : ''}`,
    );
    return;
  }
  const params = found.def.params.map((p) => p.name);
  for (const key of model.params) {
    if (params.includes(key.name)) continue;
    const close = suggestions(key.name, params);
    report.add(
      'unknown-param',
      key,
      `pipeline \`${found.def.name ?? ref.name}\` has no param \`${key.name}\`${close.length > 0 ? `; did you mean \`${close[0]}\`?` : params.length > 0 ? `; its params: ${columnList(params)}` : ''}`,
      {
        fixes: close.map((c, i) => replaceFix(`Change to \`${c}\``, key, c, i === 0)),
      },
    );
  }
}

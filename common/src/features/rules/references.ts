import type { MlopsDiagnostic } from '../../diagnostics';
import type { Span } from '../../expressions/ast';
import { isLiteralPath } from '../../yaml/paths';
import { replaceFix, Report } from '../../yaml/report';
import { suggestions } from '../../text/suggest';
import type { ValidationContext } from '../../validation/context';
import type { DefinitionKind, Located, WorkspaceView } from '../../workspace/types';
import { isDtype } from '../schema';
import type { FeaturesModel, Named, SourceDef, ViewDef } from '../model';
import { availableColumns, columnList } from './columns';

const WHAT: Record<DefinitionKind, string> = { entity: 'entity', source: 'source', view: 'feature view', service: 'feature service' };

/**
 * The features codes that look beyond the file: `unknown-entity`,
 * `unknown-source`, `unknown-feature-view`, `unknown-feature`,
 * `duplicate-name`, `join-key-type`, `column-not-found` and `missing-file`.
 * Works on the plain model, so the server can run it again for a file that
 * is not open when a definition it uses changes.
 */
export function featuresWorkspaceProblems(
  uri: string,
  model: FeaturesModel,
  workspace: WorkspaceView,
  context: ValidationContext,
): MlopsDiagnostic[] {
  const report = new Report();
  duplicates(report, uri, model, workspace);
  for (const view of model.views) {
    for (const entity of view.entities) {
      if (workspace.definitions('entity', entity.name).length === 0) unknown(report, workspace, 'entity', 'unknown-entity', entity);
    }
    joinKeyTypes(report, view, workspace);
    if (view.source && workspace.definitions('source', view.source.name).length === 0)
      unknown(report, workspace, 'source', 'unknown-source', view.source);
    columnsOfView(report, view, uri, workspace, context);
  }
  for (const source of model.sources) sourceFile(report, uri, source, context);
  // An inline source without a name (Feast's older `batch_source:` is often written so) is not among
  // model.sources; its file and timestamp columns are checked the same.
  for (const view of model.views) if (view.inlineSource?.name === '') sourceFile(report, uri, view.inlineSource, context);
  for (const service of model.services) {
    for (const projection of service.projections) {
      const views = workspace.definitions('view', projection.view.name);
      if (views.length === 0) {
        unknown(report, workspace, 'view', 'unknown-feature-view', projection.view);
        continue;
      }
      const fields = views[0]!.def.fields.map((f) => f.name);
      for (const field of projection.fields ?? []) {
        if (fields.includes(field.name)) continue;
        const close = suggestions(field.name, fields);
        report.add(
          'unknown-feature',
          field,
          `feature view \`${projection.view.name}\` has no field \`${field.name}\`${close.length > 0 ? `; did you mean \`${close[0]}\`?` : ''}`,
          {
            fixes: close.map((c, i) => replaceFix(`Change to \`${c}\``, field, c, i === 0)),
          },
        );
      }
    }
  }
  return report.diagnostics;
}

function unknown(
  report: Report,
  workspace: WorkspaceView,
  kind: DefinitionKind,
  code: 'unknown-entity' | 'unknown-source' | 'unknown-feature-view',
  ref: Named,
): void {
  const hint = workspace.didYouMean(kind, ref.name);
  const best = /`([^`]*)`/.exec(hint)?.[1];
  report.add(code, ref, `no ${WHAT[kind]} named \`${ref.name}\` in the workspace${hint}`, {
    fixes: best !== undefined ? [replaceFix(`Change to \`${best}\``, ref, best, true)] : [],
  });
}

function duplicates(report: Report, uri: string, model: FeaturesModel, workspace: WorkspaceView): void {
  const check = (kind: DefinitionKind, def: Named) => {
    const all = workspace.definitions(kind, def.name);
    if (all.length < 2) return;
    const others = all.filter((d) => d.uri !== uri || d.def.start !== def.start);
    if (others.length === 0) return;
    const places = others.slice(0, 3).map((d) => where(d, uri, workspace));
    // Each other definition as related information, so the editor links to it (in another file too).
    const related = others.slice(0, 5).flatMap((d) => {
      const message = `the other ${WHAT[kind]} \`${def.name}\``;
      if (d.uri === uri) return [{ start: d.def.start, end: d.def.end, message }];
      const start = workspace.positionOf(d.uri, d.def.start);
      const end = workspace.positionOf(d.uri, d.def.end);
      return start && end ? [{ start: 0, end: 0, message, elsewhere: { uri: d.uri, range: { start, end } } }] : [];
    });
    report.add(
      'duplicate-name',
      def,
      `${WHAT[kind]} \`${def.name}\` is also defined ${places.join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''}; names are unique across the workspace`,
      { related },
    );
  };
  for (const e of model.entities) check('entity', e);
  for (const s of model.sources) if (s.name !== '') check('source', s);
  for (const v of model.views) check('view', v);
  for (const s of model.services) check('service', s);
}

function where(d: Located<Named>, uri: string, workspace: WorkspaceView): string {
  const line = workspace.lineOf(d.uri, d.def.start);
  if (d.uri === uri) return `on line ${line ?? '?'}`;
  const name = decodeURIComponent(d.uri.slice(d.uri.lastIndexOf('/') + 1));
  return `in ${name}${line !== undefined ? `:${line}` : ''}`;
}

function joinKeyTypes(report: Report, view: ViewDef, workspace: WorkspaceView): void {
  for (const ref of view.entities) {
    const entity = workspace.definitions('entity', ref.name)[0]?.def;
    if (!entity?.valueType || !isDtype(entity.valueType)) continue;
    for (const field of view.fields) {
      if (field.name !== entity.joinKey || field.dtype === undefined || !isDtype(field.dtype) || field.dtype === entity.valueType) continue;
      report.add(
        'join-key-type',
        field.dtypeSpan ?? field,
        `\`${field.name}\` is the join key of entity \`${entity.name}\`, whose type is \`${entity.valueType}\`, not \`${field.dtype}\``,
        {
          fixes: field.dtypeSpan ? [replaceFix(`Change to \`${entity.valueType}\``, field.dtypeSpan, entity.valueType, true)] : [],
        },
      );
    }
  }
}

/** The source a view reads: inline, or the first definition of its name; with the file that defines it. */
export function sourceOfView(view: ViewDef, uri: string, workspace: WorkspaceView): { uri: string; source: SourceDef } | undefined {
  if (view.inlineSource) return { uri, source: view.inlineSource };
  const found = view.source ? workspace.definitions('source', view.source.name)[0] : undefined;
  return found ? { uri: found.uri, source: found.def } : undefined;
}

function columnsOfView(report: Report, view: ViewDef, uri: string, workspace: WorkspaceView, context: ValidationContext): void {
  const found = sourceOfView(view, uri, workspace);
  const path = found?.source.path;
  if (!found || !path || !isLiteralPath(path.name)) return;
  const data = context.dataColumns?.(found.uri, path.name);
  if (!data) return;
  const available = availableColumns(found.source, data);
  for (const field of view.fields) {
    if (available.has(field.name)) continue;
    notFound(report, field, field.name, path.name, available);
  }
}

function sourceFile(report: Report, uri: string, source: SourceDef, context: ValidationContext): void {
  const path = source.path;
  if (!path || !isLiteralPath(path.name)) return;
  if (context.fileExists?.(uri, path.name) === false) {
    report.add('missing-file', path, `\`${path.name}\` does not exist (relative to this file's folder)`, { severity: 'warning' });
    return;
  }
  const data = context.dataColumns?.(uri, path.name);
  if (!data) return;
  const available = availableColumns(source, data);
  for (const field of [source.timestampField, source.createdTimestampColumn]) {
    if (field && !available.has(field.name)) notFound(report, field, field.name, path.name, available);
  }
}

function notFound(report: Report, span: Span, name: string, file: string, available: ReadonlySet<string>): void {
  const close = suggestions(name, available);
  report.add(
    'column-not-found',
    span,
    `\`${name}\` is not a column of \`${file}\`${close.length > 0 ? `; did you mean \`${close[0]}\`?` : `; its columns: ${columnList([...available])}`}`,
    {
      severity: 'warning',
      fixes: close.map((c, i) => replaceFix(`Change to \`${c}\``, span, c, i === 0)),
    },
  );
}

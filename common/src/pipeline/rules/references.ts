import { isMap, type Node } from 'yaml';
import type { Fix, MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import type { Expr } from '../../expressions/ast';
import { didYouMean, suggestions } from '../../text/suggest';
import { pipelineModel, type NameUse, type PipelineModel, type StepDecl } from '../model';
import type { ParamType } from '../schema';
import { PartResults } from '../partResults';
import { replaceFix, Report } from '../../yaml/report';

/** `bad-expression`, `unknown-param`, `unknown-step` and `unknown-output`. */
export function pipelineReferencesRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const model = pipelineModel(doc);
  const report = new Report();
  for (const part of model.parts) for (const problem of part.problems) report.add('bad-expression', problem, problem.message);
  for (const part of model.parts) {
    for (const use of UNRESOLVED.of(model, part, () => part.uses.filter((u) => !resolves(model, u)))) {
      if (use.kind === 'param') unknownParam(model, use, report);
      else if (use.kind === 'step') unknownStep(model, use, report);
      else unknownOutput(model.steps.get(use.step!)!, use, report);
    }
  }
  return report.diagnostics;
}

/** The uses of each part that name nothing declared (an output of an unknown step is left to `unknown-step`). */
const UNRESOLVED = new PartResults<readonly NameUse[]>();

function resolves(model: PipelineModel, use: NameUse): boolean {
  if (use.kind === 'param') return model.params.has(use.name);
  if (use.kind === 'step') return model.steps.has(use.name);
  const producer = use.step === undefined ? undefined : model.steps.get(use.step);
  return !producer || producer.outputs.has(use.name);
}

function renameFixes(word: string, candidates: Iterable<string>, use: NameUse): Fix[] {
  return suggestions(word, candidates).map((name, i) => replaceFix(`Change to \`${name}\``, use, name, i === 0));
}

function unknownParam(model: PipelineModel, use: NameUse, report: Report): void {
  const names = [...model.params.keys()];
  const fixes = renameFixes(use.name, names, use);
  const declare = declareParamFix(model, use.name, inferUseType(use));
  if (declare) fixes.push(declare);
  report.add('unknown-param', use, `unknown param \`${use.name}\`${didYouMean(use.name, names) || '; declare it under `params:`'}`, {
    fixes,
  });
}

function unknownStep(model: PipelineModel, use: NameUse, report: Report): void {
  const ids = [...model.steps.keys()].filter((id) => id !== use.inStep);
  const what = use.origin === 'needs' ? `\`needs\` names no step \`${use.name}\`` : `unknown step \`${use.name}\``;
  report.add(
    'unknown-step',
    use,
    `${what}${
      didYouMean(use.name, ids) ||
      (ids.length > 0
        ? `; the steps are ${ids
            .slice(0, 8)
            .map((i) => `\`${i}\``)
            .join(', ')}${ids.length > 8 ? ', …' : ''}`
        : '')
    }`,
    { fixes: renameFixes(use.name, ids, use) },
  );
}

function unknownOutput(producer: StepDecl, use: NameUse, report: Report): void {
  const names = [...producer.outputs.keys()];
  const owner = use.own ? 'this step' : `step \`${producer.name}\``;
  const hint =
    didYouMean(use.name, names) ||
    (names.length > 0 ? `; it has ${names.map((n) => `\`${n}\``).join(', ')}` : `; declare it under \`outputs:\` of ${owner}`);
  report.add('unknown-output', use, `${owner} has no output \`${use.name}\`${hint}`, { fixes: renameFixes(use.name, names, use) });
}

/** The type a param would need for the way `use` uses it: compared with a number, a boolean, or a path in `inputs`. */
export function inferUseType(use: NameUse): ParamType {
  if (use.site?.key === 'inputs') return 'path';
  const other = comparedWith(use.site?.template.expr, use);
  if (other?.type === 'literal') {
    if (typeof other.value === 'number') return Number.isInteger(other.value) ? 'int' : 'float';
    if (typeof other.value === 'boolean') return 'bool';
  }
  return 'string';
}

/** The other operand of the comparison whose one side is the reference holding `use`. */
function comparedWith(expr: Expr | undefined, use: NameUse): Expr | undefined {
  if (!expr) return undefined;
  const holds = (e: Expr) => e.type === 'reference' && e.start <= use.start && use.end <= e.end;
  switch (expr.type) {
    case 'binary':
      if (holds(expr.left)) return expr.right;
      if (holds(expr.right)) return expr.left;
      return comparedWith(expr.left, use) ?? comparedWith(expr.right, use);
    case 'group':
      return comparedWith(expr.inner, use);
    case 'unary':
      return comparedWith(expr.operand, use);
    default:
      return undefined;
  }
}

const SAMPLE_DEFAULT: Record<ParamType, string> = { string: "''", int: '0', float: '0.0', bool: 'false', path: "''" };

/** Adds `name: { type, default }` under `params:`, creating the section after `pipeline:` when there is none. */
export function declareParamFix(model: PipelineModel, name: string, type: ParamType): Fix | undefined {
  const text = model.doc.text;
  const root = model.root;
  if (!root || root.flow) return undefined;
  const entry = `${name}: { type: ${type}, default: ${SAMPLE_DEFAULT[type]} }`;
  const paramsPair = root.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'params');
  const lineAfter = (offset: number) => text.offsetAt({ line: text.positionAt(offset).line + 1, character: 0 });
  if (paramsPair) {
    const params = paramsPair.value as Node | null;
    if (isMap(params) && !params.flow && params.items.length > 0 && params.range) {
      const firstKey = params.items[0]!.key as Node;
      const indent = ' '.repeat(text.positionAt(firstKey.range?.[0] ?? 0).character);
      const at = lineAfter(Math.max(params.range[0], params.range[1] - 1));
      return { title: `Declare param \`${name}\` (${type})`, edits: [{ start: at, end: at, newText: `${indent}${entry}\n` }] };
    }
    if (params && !(isMap(params) && params.items.length === 0)) return undefined;
    const keyEnd = (paramsPair.key as Node).range?.[1] ?? 0;
    const end = params?.range?.[1] ?? keyEnd + 1;
    return { title: `Declare param \`${name}\` (${type})`, edits: [{ start: keyEnd, end, newText: `:\n  ${entry}` }] };
  }
  const anchor = root.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'pipeline') ?? root.items[0];
  const anchorEnd = (anchor?.value as Node | null)?.range?.[1] ?? (anchor?.key as Node | null)?.range?.[1] ?? 0;
  const at = lineAfter(Math.max(0, anchorEnd - 1));
  return { title: `Declare param \`${name}\` (${type})`, edits: [{ start: at, end: at, newText: `params:\n  ${entry}\n` }] };
}

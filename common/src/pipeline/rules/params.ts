import { isScalar, isSeq, type Node } from 'yaml';
import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { listOf } from '../../text/suggest';
import { pipelineModel, type ModelPart, type ParamDecl } from '../model';
import { PARAM_TYPES } from '../schema';
import { Report, valueSpan } from '../../yaml/report';

/** `param-default` (a default outside its type, enum, min or max) and `unused-param`. */
export function pipelineParamsRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const model = pipelineModel(doc);
  const report = new Report();
  const used = new Set<string>();
  for (const part of model.parts) for (const name of paramsUsedIn(part)) used.add(name);
  for (const param of model.params.values()) {
    checkDefault(param, report);
    if (!used.has(param.name)) {
      report.add(
        'unused-param',
        param,
        `param \`${param.name}\` is never used; reference it as \`\${{ params.${param.name} }}\` or remove it`,
        {
          severity: 'warning',
        },
      );
    }
  }
  return report.diagnostics;
}

const paramsUsed = new WeakMap<ModelPart, readonly string[]>();

/** The params a part uses; once per part (a step's part lives as long as its text, see stepModel.ts). */
function paramsUsedIn(part: ModelPart): readonly string[] {
  let names = paramsUsed.get(part);
  if (!names) {
    names = [...new Set(part.uses.flatMap((use) => (use.kind === 'param' ? [use.name] : [])))];
    paramsUsed.set(part, names);
  }
  return names;
}

function fitsType(value: unknown, type: ParamDecl['type']): boolean {
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
    case 'path':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  }
}

function checkDefault(param: ParamDecl, report: Report): void {
  if (!(PARAM_TYPES as readonly string[]).includes(param.type)) return; // the schema rule reports the type
  const spec = param.spec;
  const numeric = param.type === 'int' || param.type === 'float';
  const bound = (key: 'min' | 'max') => {
    const node = spec?.get(key, true) as Node | undefined;
    if (!isScalar(node) || node.value === null) return undefined;
    if (!numeric) {
      report.add('type-mismatch', valueSpan(node), `\`${key}\` applies to \`int\` and \`float\` params, not \`${param.type}\``);
      return undefined;
    }
    return typeof node.value === 'number' ? node.value : undefined;
  };
  const min = bound('min');
  const max = bound('max');
  const enumNode = spec?.get('enum', true) as Node | undefined;
  const enumValues = isSeq(enumNode) ? enumNode.items.flatMap((i) => (isScalar(i) ? [i.value] : [])) : undefined;
  for (const item of isSeq(enumNode) ? enumNode.items : []) {
    if (isScalar(item) && !fitsType(item.value, param.type))
      report.add(
        'type-mismatch',
        valueSpan(item as Node),
        `enum value \`${String(item.value)}\` is not ${article(param.type)} \`${param.type}\``,
      );
  }
  if (min !== undefined && max !== undefined && min > max) {
    report.add('param-default', valueSpan(spec?.get('min', true) as Node), `\`min\` (${min}) is greater than \`max\` (${max})`);
  }

  const node = param.defaultNode;
  if (!node) return;
  const span = valueSpan(node, param.pair);
  if (!isScalar(node)) {
    report.add('param-default', span, `the default of \`${param.name}\` must be a single value, not a ${isSeq(node) ? 'list' : 'map'}`);
    return;
  }
  const value = node.value;
  if (value === null || value === undefined) {
    if (spec)
      report.add(
        'param-default',
        span,
        `the default of \`${param.name}\` is empty; give a value or remove \`default:\` to make the param required`,
      );
    return;
  }
  if (!fitsType(value, param.type)) {
    report.add(
      'param-default',
      span,
      `the default \`${String(value)}\` of \`${param.name}\` is not ${article(param.type)} \`${param.type}\`${param.type === 'int' && typeof value === 'number' ? '; use a whole number or `type: float`' : ''}`,
    );
    return;
  }
  if (enumValues && !enumValues.some((v) => String(v) === String(value))) {
    report.add(
      'param-default',
      span,
      `the default \`${String(value)}\` of \`${param.name}\` is not one of its enum values ${listOf(enumValues.map(String))}`,
    );
  }
  if (typeof value === 'number' && min !== undefined && value < min)
    report.add('param-default', span, `the default ${value} of \`${param.name}\` is below its minimum ${min}`);
  if (typeof value === 'number' && max !== undefined && value > max)
    report.add('param-default', span, `the default ${value} of \`${param.name}\` is above its maximum ${max}`);
}

function article(type: string): string {
  return type === 'int' ? 'an' : 'a';
}

import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { isScalar } from 'yaml';
import { keySpec, pipelineModel, type ParsedDocument, type PipelineModel } from '../../../../common/src';
import { symbolAt, type NamedSymbol } from '../../../../common/src/pipeline/symbolAt';

const ROOT_DOCS: Record<string, string> = {
  params: '`params.NAME`: a parameter of this pipeline, overridable per run.',
  steps: '`steps.ID.outputs.NAME`: an output of another step. Reading one makes this step run after it.',
  outputs: "`outputs.NAME`: the current step's own output path.",
  run: '`run.id` and `run.dir`: the tracked run.',
  'run.id': "`run.id`: the tracking run's id (32 hex characters).",
  'run.dir': "`run.dir`: this run's artifact folder.",
  pipeline: "`pipeline.name`: this pipeline's name.",
  'pipeline.name': "`pipeline.name`: this pipeline's name.",
  env: '`env.NAME`: an environment variable of the step.',
  'env.*': 'An environment variable of the step, as the pipeline and step `env` and the runner set it.',
  metrics: '`metrics.NAME`: a metric of the run (in `register.when` only).',
  'metrics.*': 'A metric of the run, logged by a step or read from a `metrics` output.',
};

/** Hover: key documentation, and what a param, step or output is and where it is used. */
export function hover(doc: ParsedDocument, position: Position): Hover | null {
  const model = pipelineModel(doc);
  const symbol = symbolAt(model, doc.text.offsetAt(position));
  if (!symbol) return null;
  const range = { start: doc.text.positionAt(symbol.start), end: doc.text.positionAt(symbol.end) };
  let value: string | undefined;
  switch (symbol.kind) {
    case 'key':
      value = keySpec(symbol.context, symbol.key)?.doc;
      if (value) value = `**${symbol.key}**\n\n${value}`;
      break;
    case 'root':
      value = ROOT_DOCS[symbol.path];
      break;
    default:
      value = describe(model, symbol);
  }
  return value ? { contents: { kind: MarkupKind.Markdown, value }, range } : null;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function lineOf(model: PipelineModel, offset: number): number {
  return model.doc.text.positionAt(offset).line + 1;
}

function describe(model: PipelineModel, symbol: NamedSymbol): string | undefined {
  if (symbol.kind === 'param') {
    const param = model.params.get(symbol.name);
    if (!param) return undefined;
    const lines = [`**param** ${code(param.name)}: ${code(param.type)}${param.typeDeclared ? '' : ' (inferred)'}`];
    if (param.description) lines.push('', param.description);
    const facts: string[] = [];
    if (isScalar(param.defaultNode) && param.defaultNode.value !== null) facts.push(`default ${code(String(param.defaultNode.value))}`);
    else facts.push('no default: every run must give a value');
    for (const bound of ['min', 'max'] as const) {
      const node = param.spec?.get(bound, true);
      if (isScalar(node) && node.value !== null) facts.push(`${bound} ${code(String(node.value))}`);
    }
    const enumNode = param.spec?.get('enum');
    if (enumNode && typeof enumNode === 'object' && 'items' in enumNode)
      facts.push(`one of ${(enumNode.items as unknown[]).map((i) => code(String(isScalar(i) ? i.value : i))).join(', ')}`);
    lines.push('', facts.join(' · '));
    lines.push('', usedIn(model, model.usesOf('param', param.name)));
    return lines.join('\n');
  }
  if (symbol.kind === 'step') {
    const step = model.steps.get(symbol.name);
    if (!step) return undefined;
    const needs = [...new Set(model.edges.filter((e) => e.to === step.name && model.steps.has(e.from)).map((e) => e.from))];
    const dependents = [...new Set(model.edges.filter((e) => e.from === step.name && model.steps.has(e.to)).map((e) => e.to))];
    const lines = [`**step** ${code(step.name)}`];
    if (step.description) lines.push('', step.description);
    if (step.run !== undefined) lines.push('', '```sh', step.run.trimEnd(), '```');
    const outputs = [...step.outputs.values()].map(
      (o) => `${code(o.name)} → ${code(o.path ?? '?')}${o.type !== 'file' ? ` (${o.type})` : ''}`,
    );
    lines.push('', `outputs: ${outputs.length > 0 ? outputs.join(', ') : 'none'}`);
    lines.push(
      '',
      `needs: ${needs.length > 0 ? needs.map(code).join(', ') : 'nothing'} · dependents: ${dependents.length > 0 ? dependents.map(code).join(', ') : 'none'}`,
    );
    return lines.join('\n');
  }
  const producer = symbol.step === undefined ? undefined : model.steps.get(symbol.step);
  const output = producer?.outputs.get(symbol.name);
  if (!producer || !output) return undefined;
  const lines = [
    `**output** ${code(output.name)} of step ${code(producer.name)}`,
    '',
    `path ${code(output.path ?? '?')} · type ${code(output.type)}`,
  ];
  if (output.description) lines.push('', output.description);
  const consumers = model.usesOf('output', output.name, producer.name);
  const readers = [
    ...new Set(
      consumers.map((u) =>
        u.inStep !== undefined ? (u.inStep === producer.name ? `${u.inStep} (itself)` : u.inStep) : `\`${u.site?.key ?? '?'}\``,
      ),
    ),
  ];
  lines.push('', `read by: ${readers.length > 0 ? readers.map((r) => (r.startsWith('`') ? r : code(r))).join(', ') : 'no step'}`);
  return lines.join('\n');
}

function usedIn(model: PipelineModel, uses: readonly { start: number; inStep?: string; site?: { key: string } }[]): string {
  if (uses.length === 0) return 'not used';
  const places = uses
    .slice(0, 10)
    .map((u) => `${u.inStep !== undefined ? `step ${code(u.inStep)} ` : ''}${code(u.site?.key ?? '?')} (line ${lineOf(model, u.start)})`);
  return `used in ${places.join(', ')}${uses.length > 10 ? `, and ${uses.length - 10} more` : ''}`;
}

import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver';
import { isMap } from 'yaml';
import { pipelineModel, scalarText, type ParsedDocument, type PipelineModel } from '../../../../../common/src';
import type { ExpressionContext } from '../../../../../common/src/pipeline/cursor';
import { RUN_FIELDS } from '../../../../../common/src/pipeline/references';
import { toRange } from './edits';
import { stepItems, type StepItems } from './steps';

const ROOT_DOCS: Readonly<Record<string, string>> = {
  params: '`params.NAME`: a parameter of the run.',
  steps: '`steps.ID.outputs.NAME`: an output of another step; referring to it adds an edge.',
  outputs: '`outputs.NAME`: an output of this step.',
  run: "`run.id`, `run.dir`: this run's id and artifact folder.",
  pipeline: "`pipeline.name`: the pipeline's name.",
  env: '`env.NAME`: an environment variable.',
  metrics: '`metrics.NAME`: a metric of the run (only in `register.when`).',
};

const FIELD_DOCS: Readonly<Record<string, string>> = {
  id: "This run's id.",
  dir: "This run's artifact folder.",
  name: "The pipeline's name (`pipeline:`).",
};

/** What may follow the segments typed so far in a `${{ }}`. */
export function expressionItems(doc: ParsedDocument, context: ExpressionContext): CompletionItem[] | StepItems {
  if (!context.allowed) return [];
  const range = toRange(doc, context.range);
  const step = context.map.step;
  const [root, second, third, ...rest] = context.segments;
  const model = pipelineModel(doc);
  if (root === undefined) return roots(context, range);
  if (rest.length > 0) return [];
  switch (root) {
    case 'params':
      if (second !== undefined) return [];
      return [...model.params.values()].map((p) => {
        const value = scalarText(p.defaultNode);
        return {
          label: p.name,
          kind: CompletionItemKind.Variable,
          detail: value !== undefined && value !== '' ? `${p.type} = ${value}` : p.type,
          ...(p.description ? { documentation: p.description } : {}),
          textEdit: { range, newText: p.name },
        };
      });
    case 'steps':
      if (second === undefined) return stepItems(model, step, [], range, context.prefix, '');
      if (third === undefined) return [field('outputs', `The outputs of \`${second}\`.`, range)];
      return third === 'outputs' ? outputItems(model, second, range) : [];
    case 'outputs':
      return step !== undefined && second === undefined ? outputItems(model, step, range) : [];
    case 'run':
      return second === undefined ? RUN_FIELDS.map((f) => field(f, FIELD_DOCS[f] ?? '', range)) : [];
    case 'pipeline':
      return second === undefined ? [field('name', FIELD_DOCS.name ?? '', range)] : [];
    case 'env':
      return second === undefined ? envItems(model, step, range) : [];
    default:
      return [];
  }
}

function roots(context: ExpressionContext, range: Range): CompletionItem[] {
  const names = [
    'params',
    'steps',
    ...(context.map.step !== undefined ? ['outputs'] : []),
    'run',
    'pipeline',
    'env',
    ...(context.condition ? ['metrics'] : []),
  ];
  return names.map((name, index) => ({
    label: name,
    kind: CompletionItemKind.Keyword,
    documentation: { kind: 'markdown', value: ROOT_DOCS[name] ?? '' },
    sortText: String(index),
    textEdit: { range, newText: name },
  }));
}

function field(name: string, doc: string, range: Range): CompletionItem {
  return {
    label: name,
    kind: CompletionItemKind.Field,
    documentation: { kind: 'markdown', value: doc },
    textEdit: { range, newText: name },
  };
}

function outputItems(model: PipelineModel, step: string, range: Range): CompletionItem[] {
  const outputs = model.steps.get(step)?.outputs;
  return [...(outputs?.values() ?? [])].map((o) => ({
    label: o.name,
    kind: CompletionItemKind.Field,
    detail: o.path !== undefined ? `${o.path} (${o.type})` : o.type,
    ...(o.description ? { documentation: o.description } : {}),
    textEdit: { range, newText: o.name },
  }));
}

/** The variables the pipeline's `env` and the step's own `env` set. */
function envItems(model: PipelineModel, step: string | undefined, range: Range): CompletionItem[] {
  const names = new Set<string>();
  const collect = (node: unknown) => {
    if (isMap(node))
      for (const pair of node.items) {
        const name = scalarText(pair.key);
        if (name !== undefined) names.add(name);
      }
  };
  collect(model.root?.get('env', true));
  if (step !== undefined) collect(model.steps.get(step)?.body?.get('env', true));
  return [...names].map((name) => ({ label: name, kind: CompletionItemKind.Variable, textEdit: { range, newText: name } }));
}

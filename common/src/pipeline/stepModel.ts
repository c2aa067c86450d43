/**
 * The model of one step, read once per YAML Pair (see document/pairMemo.ts):
 * after an edit that the parse cache splices, only the edited step is read
 * again. Every span in it is anchored to the AST node it lies in
 * (./located.ts), so it stays right when a splice moves the step.
 */
import { isMap, isScalar, isSeq, type Pair, type Scalar } from 'yaml';
import { memoized, MemoSlot } from '../document/pairMemo';
import type { Span } from '../expressions/ast';
import { findTemplates } from '../expressions/parser';
import { detached } from '../text/detached';
import { NameAt, OutputAt, ProblemAt, SiteAt, StepAt, UseAt, type SitePlace } from './located';
import type { DependencyEdge, ExpressionSite, NameUse, OutputDecl, StepDecl } from './model';
import { forEachStringScalar, scalarText, stringValue } from '../yaml/nodes';
import { fromPipelineFolder, isLiteralPath } from '../yaml/paths';
import { classifyTemplate } from './references';
import { keySpec, OUTPUT_TYPES, type OutputType } from './schema';

export type { SitePlace } from './located';

export type ExpressionProblem = Span & { readonly message: string };

/** A stretch of the model in document order: a top-level key, or a step. */
export interface ModelPart {
  readonly sites: readonly ExpressionSite[];
  /** Uses by offset: the references of its expressions and, in a step, its `needs` entries. */
  readonly uses: readonly NameUse[];
  /** `bad-expression` problems, in the order of the sites. */
  readonly problems: readonly ExpressionProblem[];
  /** The edges its uses make (steps only), by offset; made when asked for. */
  readonly edges: readonly DependencyEdge[];
}

/** A literal path a step writes or reads, as seen from the pipeline folder (its `workdir` applied). */
export interface StepPath<T> {
  readonly path: string;
  readonly at: T;
}

export interface StepPart extends ModelPart {
  readonly decl: StepDecl;
  /** Its outputs with a literal path. */
  readonly writes: readonly StepPath<OutputDecl>[];
  /** Its literal `inputs` entries. */
  readonly reads: readonly StepPath<Scalar<string>>[];
}

export function isStepPart(part: ModelPart): part is StepPart {
  return 'decl' in part;
}

class Part implements ModelPart {
  constructor(
    readonly sites: readonly ExpressionSite[],
    readonly uses: readonly NameUse[],
    readonly problems: readonly ExpressionProblem[],
    /** The step the part is, if it is one. */
    private readonly step?: string,
  ) {}

  get edges(): DependencyEdge[] {
    const step = this.step;
    if (step === undefined) return [];
    return this.uses.flatMap((use) =>
      use.kind === 'step'
        ? [
            {
              from: use.name,
              to: step,
              kind: use.origin === 'needs' ? ('needs' as const) : ('data' as const),
              start: use.start,
              end: use.end,
            },
          ]
        : [],
    );
  }
}

class StepPartAt extends Part implements StepPart {
  constructor(
    readonly decl: StepDecl,
    part: ModelPart,
    readonly writes: readonly StepPath<OutputDecl>[],
    readonly reads: readonly StepPath<Scalar<string>>[],
  ) {
    super(part.sites, part.uses, part.problems, decl.name);
  }
}

interface PartBuilder {
  readonly sites: ExpressionSite[];
  readonly uses: NameUse[];
  readonly problems: ExpressionProblem[];
}

export function newPart(): PartBuilder {
  return { sites: [], uses: [], problems: [] };
}

/** Reads the templates in the string scalars below `node` into `part`. `source` is the text the node sits in. */
export function readExpressions(source: string, node: unknown, place: SitePlace, part: PartBuilder): void {
  forEachStringScalar(node, (scalar) => {
    const range = scalar.range;
    if (!range || !(scalar.value as string).includes('${{')) return;
    // Parsed from offset 0; a plain scalar's value is its text, anything else is copied
    // (memoised strings must not keep a whole version of the document alive).
    const raw = source.slice(range[0], range[1]);
    const text = raw === scalar.value ? (scalar.value as string) : detached(raw);
    const at = range[0];
    for (const template of findTemplates(text, 0, text.length)) {
      const site = new SiteAt(scalar, text, { start: template.start, end: template.end }, place);
      part.sites.push(site);
      const uses: NameUse[] = [];
      const problems: ExpressionProblem[] = [];
      // Classified in the scalar's offsets, with the template just parsed (the site parses it again when asked).
      classifyTemplate({ ...place, template }, uses, problems);
      for (const use of uses)
        part.uses.push(new UseAt(scalar, { ...use, start: use.start + at, end: use.end + at, ...(use.site ? { site } : {}) }));
      for (const problem of problems)
        part.problems.push(new ProblemAt(scalar, { start: problem.start + at, end: problem.end + at }, problem.message));
    }
  });
}

/** The finished part of a top-level key (a step's is a StepPartAt), its uses by offset. */
export function finishPart(part: PartBuilder): ModelPart {
  part.uses.sort((a, b) => a.start - b.start);
  return new Part(part.sites, part.uses, part.problems);
}

const STEP_PART = new MemoSlot<StepPart | undefined>();

/** One step of `steps:`; undefined when its key is not a name. `source` is the text the pair sits in. */
export function stepPart(pair: Pair, source: string): StepPart | undefined {
  return memoized(pair, STEP_PART, () => readStep(pair, source));
}

function readStep(pair: Pair, source: string): StepPart | undefined {
  const name = scalarText(pair.key);
  const key = pair.key as Scalar;
  if (name === undefined || !key.range) return undefined;
  const body = isMap(pair.value) ? pair.value : undefined;
  const needs = needsEntries(body?.get('needs', true));
  const decl = new StepAt(
    key,
    name,
    pair,
    body,
    stringValue(body, 'run'),
    stringValue(body, 'description'),
    stringValue(body, 'workdir'),
    needs.map((n) => new NameAt(n.scalar, n.name)),
    readOutputs(name, body?.get('outputs', true)),
  );

  const part = newPart();
  for (const item of body?.items ?? []) {
    const itemKey = scalarText(item.key);
    // Unknown keys get their own diagnostic; their expressions are not judged.
    if (itemKey === undefined || itemKey === 'description' || !keySpec('step', itemKey)) continue;
    const allowed = itemKey === 'run' || itemKey === 'env' || itemKey === 'inputs';
    readExpressions(source, item.value, { key: itemKey, allowed, condition: false, step: name }, part);
  }
  for (const { scalar, name: need } of needs)
    part.uses.push(
      new UseAt(scalar, { kind: 'step', name: need, start: scalar.range![0], end: scalar.range![1], inStep: name, origin: 'needs' }),
    );
  return new StepPartAt(decl, finishPart(part), writtenPaths(decl), readPaths(decl));
}

function readOutputs(step: string, node: unknown): Map<string, OutputDecl> {
  const outputs = new Map<string, OutputDecl>();
  if (!isMap(node)) return outputs;
  for (const pair of node.items) {
    const name = scalarText(pair.key);
    const key = pair.key as Scalar;
    if (name === undefined || !key.range || outputs.has(name)) continue;
    const spec = isMap(pair.value) ? pair.value : undefined;
    const pathNode = spec ? spec.get('path', true) : pair.value;
    const path = isScalar(pathNode) && typeof pathNode.value === 'string' ? pathNode : undefined;
    const declaredType = stringValue(spec, 'type');
    const type = (OUTPUT_TYPES as readonly string[]).includes(declaredType ?? '') ? (declaredType as OutputType) : 'file';
    outputs.set(
      name,
      new OutputAt(key, name, step, pair, type, path?.value as string | undefined, path, stringValue(spec, 'description') || undefined),
    );
  }
  return outputs;
}

/** The `needs` entries that name something: a list's scalars, or a single scalar. */
function needsEntries(node: unknown): { scalar: Scalar; name: string }[] {
  const items = isSeq(node) ? node.items : isScalar(node) ? [node] : [];
  return items.flatMap((item) => {
    const name = scalarText(item);
    const scalar = item as Scalar;
    return name !== undefined && scalar.range ? [{ scalar, name }] : [];
  });
}

function writtenPaths(step: StepDecl): StepPath<OutputDecl>[] {
  const paths: StepPath<OutputDecl>[] = [];
  for (const output of step.outputs.values()) {
    if (output.path !== undefined && isLiteralPath(output.path))
      paths.push({ path: fromPipelineFolder(step.workdir, output.path), at: output });
  }
  return paths;
}

function readPaths(step: StepDecl): StepPath<Scalar<string>>[] {
  const inputs = step.body?.get('inputs', true);
  const items = isSeq(inputs) ? inputs.items : isScalar(inputs) ? [inputs] : [];
  const paths: StepPath<Scalar<string>>[] = [];
  for (const item of items) {
    if (isScalar(item) && typeof item.value === 'string' && isLiteralPath(item.value))
      paths.push({ path: fromPipelineFolder(step.workdir, item.value), at: item as Scalar<string> });
  }
  return paths;
}

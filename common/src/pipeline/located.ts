/**
 * The model's objects, each with its span anchored to the AST node it lies in
 * (document/anchored.ts): a step read once stays right while splices move it.
 * Classes, not spread objects, so that thousands of them stay small.
 */
import type { Node, Pair, Scalar, YAMLMap } from 'yaml';
import { AnchoredSpan, moved } from '../document/anchored';
import type { Span, Template } from '../expressions/ast';
import { findTemplates } from '../expressions/parser';
import type { ExpressionSite, NameUse, OutputDecl, StepDecl } from './model';
import type { Declared } from '../yaml/nodes';
import type { OutputType } from './schema';

function spanOf(node: Node): Span {
  return { start: node.range![0], end: node.range![1] };
}

/** A name written as a scalar: a key, or a `needs` entry. */
export class NameAt extends AnchoredSpan implements Declared {
  constructor(
    node: Scalar,
    readonly name: string,
  ) {
    super(node, spanOf(node));
  }
}

export class StepAt extends NameAt implements StepDecl {
  constructor(
    key: Scalar,
    name: string,
    readonly pair: Pair,
    readonly body: YAMLMap | undefined,
    readonly run: string | undefined,
    readonly description: string | undefined,
    readonly workdir: string | undefined,
    readonly needs: readonly Declared[],
    readonly outputs: ReadonlyMap<string, OutputDecl>,
  ) {
    super(key, name);
  }
}

export class OutputAt extends NameAt implements OutputDecl {
  constructor(
    key: Scalar,
    name: string,
    readonly step: string,
    readonly pair: Pair,
    readonly type: OutputType,
    readonly path: string | undefined,
    readonly pathNode: Scalar | undefined,
    readonly description: string | undefined,
  ) {
    super(key, name);
  }
}

/** A use found in a scalar, or a `needs` entry (the scalar is the entry). */
export class UseAt extends AnchoredSpan implements NameUse {
  readonly kind: NameUse['kind'];
  readonly name: string;
  readonly step: string | undefined;
  readonly inStep: string | undefined;
  readonly origin: NameUse['origin'];
  readonly own: boolean | undefined;
  readonly site: ExpressionSite | undefined;

  constructor(scalar: Scalar, use: NameUse) {
    super(scalar, use);
    this.kind = use.kind;
    this.name = use.name;
    this.step = use.step;
    this.inStep = use.inStep;
    this.origin = use.origin;
    this.own = use.own;
    this.site = use.site;
  }
}

export class ProblemAt extends AnchoredSpan {
  constructor(
    scalar: Scalar,
    problem: Span,
    readonly message: string,
  ) {
    super(scalar, problem);
  }
}

/** Where a `${{ }}` sits; what SiteAt needs besides its text. */
export type SitePlace = Omit<ExpressionSite, 'template'>;

/**
 * A `${{ }}` and where it sits. It keeps its scalar's text, not the parsed
 * template (a tree of a dozen objects, times tens of thousands in a large
 * file): the template is parsed again, in document offsets, when asked for.
 */
export class SiteAt implements ExpressionSite {
  readonly key: string;
  readonly allowed: boolean;
  readonly condition: boolean;
  readonly step: string | undefined;

  /** `text`: the scalar's source text; `span`: where the template is in it. */
  constructor(
    private readonly scalar: Scalar,
    private readonly text: string,
    private readonly span: Span,
    place: SitePlace,
  ) {
    this.key = place.key;
    this.allowed = place.allowed;
    this.condition = place.condition;
    this.step = place.step;
  }

  get template(): Template {
    // Only its own span: a scalar may hold thousands of templates.
    return moved(findTemplates(this.text, this.span.start, this.span.end)[0]!, this.scalar.range![0]);
  }
}

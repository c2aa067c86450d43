import { type ReferenceExpr, type Span, firstOperator, forEachReference } from '../expressions/ast';
import { didYouMean, listOf } from '../text/suggest';
import type { ExpressionSite, NameUse } from './model';

/** The reference roots of docs/formats.md (section Expressions), and where each is allowed. */
export const ROOTS = ['params', 'steps', 'outputs', 'run', 'pipeline', 'env', 'metrics'] as const;
export const RUN_FIELDS = ['id', 'dir'] as const;

type Problem = Span & { message: string };

/**
 * Reads the references of one `${{ }}`: declared names become uses (the
 * rules report the unknown ones), malformed or misplaced references become
 * `bad-expression` problems.
 */
export function classifyTemplate(site: ExpressionSite, uses: NameUse[], problems: Problem[]): void {
  const { template } = site;
  problems.push(...template.errors);
  if (!site.allowed) {
    problems.push({
      start: template.start,
      end: template.end,
      message: `expressions are not evaluated in \`${site.key}\`; write a literal value`,
    });
    return;
  }
  const operator = firstOperator(template.expr);
  if (operator && !site.condition) {
    problems.push({
      ...operator,
      message: `operators are allowed only in conditions (\`register.when\`); \`${site.key}\` takes a single value such as \`\${{ params.NAME }}\``,
    });
  }
  forEachReference(template.expr, (ref) => classifyReference(ref, site, uses, problems));
}

function classifyReference(ref: ReferenceExpr, site: ExpressionSite, uses: NameUse[], problems: Problem[]): void {
  const [root, second, third, fourth, ...rest] = ref.segments;
  if (!root) return;
  const inStep = site.step !== undefined ? { inStep: site.step } : {};
  const tooLong = (from: Span, what: string) => {
    const extra = ref.segments
      .filter((s) => s.start >= from.start)
      .map((s) => s.name)
      .join('.');
    problems.push({ start: from.start, end: ref.end, message: `${what} ends before \`${extra}\`; remove it` });
  };
  const needsName = (example: string): void => {
    problems.push({ start: root.start, end: ref.end, message: `\`${root.name}\` needs a name: \`${example}\`` });
  };

  switch (root.name) {
    case 'params':
      if (!second) return needsName('params.NAME');
      uses.push({ kind: 'param', name: second.name, start: second.start, end: second.end, origin: 'expression', site, ...inStep });
      if (third) tooLong(third, '`params.NAME`');
      return;
    case 'steps': {
      if (!second) return needsName('steps.ID.outputs.NAME');
      uses.push({ kind: 'step', name: second.name, start: second.start, end: second.end, origin: 'expression', site, ...inStep });
      if (!third || third.name !== 'outputs') {
        problems.push({
          start: (third ?? second).start,
          end: (third ?? second).end,
          message: third
            ? `a step has only \`outputs\`: \`steps.${second.name}.outputs.NAME\``
            : `\`steps.${second.name}\` needs an output: \`steps.${second.name}.outputs.NAME\``,
        });
        return;
      }
      if (!fourth) {
        problems.push({ start: third.start, end: third.end, message: `name the output: \`steps.${second.name}.outputs.NAME\`` });
        return;
      }
      uses.push({
        kind: 'output',
        name: fourth.name,
        step: second.name,
        start: fourth.start,
        end: fourth.end,
        origin: 'expression',
        site,
        ...inStep,
      });
      if (rest[0]) tooLong(rest[0], '`steps.ID.outputs.NAME`');
      return;
    }
    case 'outputs':
      if (site.step === undefined) {
        problems.push({
          start: root.start,
          end: root.end,
          message: "`outputs.NAME` means the current step's outputs; outside a step use `steps.ID.outputs.NAME`",
        });
        return;
      }
      if (!second) return needsName('outputs.NAME');
      uses.push({
        kind: 'output',
        name: second.name,
        step: site.step,
        own: true,
        start: second.start,
        end: second.end,
        origin: 'expression',
        site,
        inStep: site.step,
      });
      if (third) tooLong(third, '`outputs.NAME`');
      return;
    case 'run':
      if (!second || !(RUN_FIELDS as readonly string[]).includes(second.name)) {
        const at = second ?? root;
        problems.push({
          start: at.start,
          end: at.end,
          message: `\`run\` has ${listOf(
            RUN_FIELDS.map((f) => `run.${f}`),
            'and',
          )}${second ? didYouMean(second.name, RUN_FIELDS) : ''}`,
        });
        return;
      }
      if (third) tooLong(third, `\`run.${second.name}\``);
      return;
    case 'pipeline':
      if (!second || second.name !== 'name') {
        const at = second ?? root;
        problems.push({ start: at.start, end: at.end, message: '`pipeline` has only `pipeline.name`' });
        return;
      }
      if (third) tooLong(third, '`pipeline.name`');
      return;
    case 'env':
      if (!second) return needsName('env.NAME');
      if (third) tooLong(third, '`env.NAME`');
      return;
    case 'metrics':
      if (!site.condition) {
        problems.push({ start: root.start, end: root.end, message: '`metrics.NAME` is available only in `register.when`' });
        return;
      }
      if (!second) return needsName('metrics.NAME');
      if (third) tooLong(third, '`metrics.NAME`');
      return;
    default: {
      const allowed = site.condition ? ROOTS : ROOTS.filter((r) => r !== 'metrics');
      problems.push({
        start: root.start,
        end: root.end,
        message: `unknown root \`${root.name}\`${didYouMean(root.name, allowed) || `; use ${listOf(allowed)}`}`,
      });
    }
  }
}

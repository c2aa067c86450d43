import * as path from 'node:path';
import type { Expr } from '../../../../common/src/expressions';
import { findTemplates } from '../../../../common/src/expressions/parser';
import type { OutputPlan, PipelinePlan, StepPlan } from '../runner/plan';
import { shellQuote } from '../runner/process';

// A step's `run` and `env` as a container runs them on a cluster engine. The local runner quotes
// every substituted value as one shell word; here the values are not known until the engine runs
// the step, so each one becomes an argument of `sh -c SCRIPT STEP ARG1 ARG2...` that the script
// reads as "${1}", "${2}": the engine puts the value into argv, and no shell ever parses it.

/** How an engine names a value it fills in when it runs the step, or the literal a value is. */
export type EngineValue = { readonly placeholder: string } | { readonly literal: string };

/** What one engine calls the values a step may refer to. */
export interface Dialect {
  param(name: string): EngineValue;
  /** `steps.PRODUCER.outputs.NAME` inside `step`. */
  upstream(step: StepPlan, producer: StepPlan, output: OutputPlan): EngineValue;
  /** `outputs.NAME` inside `step`. */
  own(step: StepPlan, output: OutputPlan): EngineValue;
  readonly runId: EngineValue;
  readonly runDir: EngineValue;
}

/** A pipeline that cannot be exported as it stands: the message names the step or key. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}

export interface StepScript {
  /** The shell script: `"${N}"` for the Nth argument. */
  readonly script: string;
  /** The arguments after the script's own name: engine placeholders, in order of first use. */
  readonly args: readonly string[];
  /** Environment variables whose values are plain text. */
  readonly env: readonly { name: string; value: string }[];
  /** Params the step refers to. */
  readonly params: ReadonlySet<string>;
  /** Upstream outputs the step refers to, each once. */
  readonly upstream: readonly { producer: StepPlan; output: OutputPlan }[];
}

/** Double-quoted shell text: `\`, `"`, `$` and backquote escaped. */
const inDoubleQuotes = (text: string) => text.replace(/[\\"$`]/g, (c) => `\\${c}`);

/** The step's script for an engine, with its arguments, plain env and references. */
export function stepScript(plan: PipelinePlan, step: StepPlan, dialect: Dialect): StepScript {
  const args: string[] = [];
  const params = new Set<string>();
  const upstream: { producer: StepPlan; output: OutputPlan }[] = [];
  const where = (key: string) => `step ${step.id}, ${key}`;

  /** A reference's value: a literal, an argument's position, or an environment variable. */
  const valueOf = (expr: Expr | undefined, key: string): { literal: string } | { arg: number } | { variable: string } => {
    if (!expr) throw new ExportError(`${where(key)}: not an expression`);
    if (expr.type === 'literal') return { literal: String(expr.value) };
    if (expr.type !== 'reference') throw new ExportError(`${where(key)}: only one value may be substituted here`);
    const [root, a, b, c] = expr.segments.map((s) => s.name);
    const engine = (value: EngineValue) => {
      if ('literal' in value) return { literal: value.literal };
      let at = args.indexOf(value.placeholder);
      if (at < 0) at = args.push(value.placeholder) - 1;
      return { arg: at + 1 };
    };
    const outputOf = (of: StepPlan, name: string | undefined) => {
      const output = of.outputs.find((o) => o.name === name);
      if (!output) throw new ExportError(`${where(key)}: step ${of.id} has no output ${name}`);
      return output;
    };
    switch (root) {
      case 'params':
        if (!a || !plan.params.some((p) => p.name === a)) throw new ExportError(`${where(key)}: no param ${a}`);
        params.add(a);
        return engine(dialect.param(a));
      case 'steps': {
        const producer = plan.byId.get(a ?? '');
        if (!producer || b !== 'outputs') throw new ExportError(`${where(key)}: no step ${a}`);
        const output = outputOf(producer, c);
        if (!upstream.some((u) => u.producer === producer && u.output === output)) upstream.push({ producer, output });
        return engine(dialect.upstream(step, producer, output));
      }
      case 'outputs':
        return engine(dialect.own(step, outputOf(step, a)));
      case 'run':
        if (a === 'id') return engine(dialect.runId);
        if (a === 'dir') return engine(dialect.runDir);
        throw new ExportError(`${where(key)}: \`run\` has \`id\` and \`dir\``);
      case 'pipeline':
        return { literal: plan.name };
      case 'env':
        if (!a) throw new ExportError(`${where(key)}: env needs a variable name`);
        return { variable: a };
      default:
        throw new ExportError(`${where(key)}: unknown reference ${root}`);
    }
  };

  /** `text` with each `${{ }}` replaced, in one of the two shell forms. */
  const translate = (text: string, key: string, form: 'word' | 'double-quoted'): string => {
    let out = '';
    let at = 0;
    for (const template of findTemplates(text, 0, text.length)) {
      if (template.errors.length > 0) throw new ExportError(`${where(key)}: ${template.errors[0]!.message}`);
      const literalText = text.slice(at, template.start);
      out += form === 'word' ? literalText : inDoubleQuotes(literalText);
      const value = valueOf(template.expr, key);
      if ('literal' in value) out += form === 'word' ? shellQuote(value.literal) : inDoubleQuotes(value.literal);
      else if ('arg' in value) out += form === 'word' ? `"\${${value.arg}}"` : `\${${value.arg}}`;
      // As the local runner, an unset variable fails the step, naming it.
      else out += form === 'word' ? `"\${${value.variable}?}"` : `\${${value.variable}?}`;
      at = template.end;
    }
    const rest = text.slice(at);
    return out + (form === 'word' ? rest : inDoubleQuotes(rest));
  };

  const env: { name: string; value: string }[] = [];
  const exports: string[] = [];
  for (const [scope, values] of [
    ['env', plan.env],
    ['env', step.env],
  ] as const) {
    for (const [name, value] of Object.entries(values)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ExportError(`${where(scope)}: ${JSON.stringify(name)} is not a variable name`);
      if (findTemplates(value, 0, value.length).length === 0 && !exports.length) {
        const existing = env.findIndex((e) => e.name === name);
        if (existing >= 0) env.splice(existing, 1);
        env.push({ name, value });
      } else exports.push(`export ${name}="${translate(value, `${scope}.${name}`, 'double-quoted')}"`);
    }
  }
  const relativeWorkdir = path.relative(plan.folder, step.workdir).split(path.sep).join('/');
  const lines = [
    ...(relativeWorkdir ? [`cd ${shellQuote(relativeWorkdir)} || exit`] : []),
    ...exports,
    translate(step.run.trim(), 'run', 'word'),
  ];
  return { script: lines.join('\n'), args, env, params, upstream };
}

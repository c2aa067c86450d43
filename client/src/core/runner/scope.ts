import * as path from 'node:path';
import { EvaluationError, substitute, type Resolver, type Value } from '../../../../common/src/expressions';
import type { PipelinePlan, StepPlan } from './plan';
import { shellQuote } from './process';
import type { ParamValue } from './types';

/** What `${{ }}` may refer to at one place of a run (docs/formats.md, section Expressions). */
export interface Scope {
  readonly plan: PipelinePlan;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly runId: string;
  /** The run's artifact folder (`run.dir`). */
  readonly runDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The step the expression sits in: paths are given relative to its workdir. */
  readonly step?: StepPlan;
  /** Only in `register.when`. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** Absolute path of a step's declared output. */
export function outputPath(step: StepPlan, name: string): string | undefined {
  const output = step.outputs.find((o) => o.name === name);
  return output ? path.resolve(step.workdir, output.path) : undefined;
}

/** The path as the consuming step sees it: relative to its workdir, absolute outside a step. */
function seenFrom(scope: Scope, absolute: string): string {
  if (!scope.step) return absolute;
  const relative = path.relative(scope.step.workdir, absolute);
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

export function resolverFor(scope: Scope): Resolver {
  return (names) => {
    const [root, ...rest] = names;
    const dotted = names.join('.');
    const missing = (why: string): never => {
      throw new EvaluationError(`\${{ ${dotted} }}: ${why}`);
    };
    switch (root) {
      case 'params': {
        const value = scope.params[rest[0] ?? ''];
        return value === undefined ? missing('no such param') : value;
      }
      case 'steps': {
        const producer = scope.plan.byId.get(rest[0] ?? '') ?? missing('no such step');
        const file = outputPath(producer, rest[2] ?? '') ?? missing(`step ${producer.id} has no such output`);
        return seenFrom(scope, file);
      }
      case 'outputs': {
        const step = scope.step ?? missing('`outputs` is only defined inside a step');
        const file = outputPath(step, rest[0] ?? '') ?? missing(`step ${step.id} has no such output`);
        return seenFrom(scope, file);
      }
      case 'run':
        if (rest[0] === 'id') return scope.runId;
        if (rest[0] === 'dir') return scope.runDir;
        return missing('`run` has `id` and `dir`');
      case 'pipeline':
        return rest[0] === 'name' ? scope.plan.name : missing('`pipeline` has `name`');
      case 'env': {
        const value = scope.env[rest[0] ?? ''];
        return value === undefined ? missing('the variable is not set') : value;
      }
      case 'metrics': {
        const metrics = scope.metrics ?? missing('`metrics` is only defined in `register.when`');
        const value = metrics[rest[0] ?? ''];
        if (value === undefined) {
          const logged = Object.keys(metrics);
          return missing(
            `the run logged no metric ${rest[0]}${logged.length ? ` (it logged ${logged.sort().join(', ')})` : ' (it logged no metrics)'}`,
          );
        }
        return value as Value;
      }
      default:
        return missing('unknown root');
    }
  };
}

/** A `run` command with every value shell-quoted: a hostile param value stays one literal word. */
export function resolveCommand(scope: Scope, command: string): string {
  return substitute(command, resolverFor(scope), shellQuote);
}

/** A plain value (env, inputs, register.from): substituted as is. */
export function resolveText(scope: Scope, text: string): string {
  return substitute(text, resolverFor(scope));
}

/** Env maps resolve in order: the pipeline's `env` sees the inherited environment, a step's `env` sees the pipeline's too. */
export function resolveEnv(scope: Scope, env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) out[key] = resolveText(scope, value);
  return out;
}

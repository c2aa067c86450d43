/**
 * What the editor says after a check, decided without vscode: whether to notify, the text (the editor
 * puts `MLOps: ` before it) and the actions offered, and whether retraining starts on its own
 * (`mlops.monitor.autoRetrain`).
 */
import * as path from 'node:path';
import type { MonitorCheckResult } from '../../../../common/src/monitor/result';
import { summarizeResult } from './formatResult';

export type CheckTrigger = 'command' | 'schedule' | 'fileChange';

export interface DriftNotice {
  readonly severity: 'info' | 'warning' | 'error';
  readonly text: string;
  readonly actions: readonly ('Show Report' | 'Retrain')[];
  /** Start `on_drift.run_pipeline` now, without asking. */
  readonly retrainNow: boolean;
}

/**
 * A check the user asked for always answers. An automatic one (schedule, a changed `current`
 * file) speaks only when it finds drift that the previous check did not, and `notify: false`
 * silences it. Undefined: say nothing.
 */
export function driftNotice(
  result: MonitorCheckResult,
  trigger: CheckTrigger,
  previousStatus: string | undefined,
  autoRetrain: boolean,
): DriftNotice | undefined {
  const name = result.monitor;
  const automatic = trigger !== 'command';
  if (result.status === 'error') {
    return automatic && previousStatus === 'error'
      ? undefined
      : { severity: 'error', text: `${name} was not checked: ${result.error ?? 'unknown error'}`, actions: [], retrainNow: false };
  }
  if (result.status === 'ok')
    return automatic
      ? undefined
      : { severity: 'info', text: `no drift in ${name}: ${summarizeResult(result)}.`, actions: ['Show Report'], retrainNow: false };
  if (automatic && (previousStatus === 'drift' || result.onDrift?.notify === false)) return undefined;
  const pipeline = result.onDrift?.pipeline;
  const retrainNow = Boolean(pipeline) && autoRetrain;
  const why = trigger === 'schedule' ? ' (scheduled check)' : trigger === 'fileChange' ? ' (new current data)' : '';
  const retraining = retrainNow ? ` Retraining started: ${path.basename(pipeline!)}${describeParams(result.onDrift?.params ?? {})}.` : '';
  return {
    severity: 'warning',
    text: `drift in ${name}${why}: ${summarizeResult(result)}.${retraining}`,
    actions: pipeline && !retrainNow ? ['Show Report', 'Retrain'] : ['Show Report'],
    retrainNow,
  };
}

/** " with a=1 b=x", or nothing. */
export function describeParams(params: Readonly<Record<string, string | number | boolean>>): string {
  const text = Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return text ? ` with ${text}` : '';
}

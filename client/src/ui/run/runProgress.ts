import { formatMs } from '../../core/runner';
import type { RunEvent, RunResult, StepSummary } from '../../core/runner/types';

/**
 * What the status bar and the end-of-run notification need to know about a
 * run, folded from its events. No vscode: unit-tested.
 */
export class RunProgress {
  runId: string | undefined;
  runName: string | undefined;
  total = 0;
  done = 0;
  readonly running = new Set<string>();
  /** The first step that failed, with its summary (message, log). */
  failed: StepSummary | undefined;
  result: RunResult | undefined;

  constructor(public pipeline: string) {}

  update(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.runId = event.runId;
        this.runName = event.runName;
        this.pipeline = event.pipeline;
        this.total = event.steps.length;
        break;
      case 'step-started':
        this.running.add(event.step);
        break;
      case 'step-finished':
        this.running.delete(event.step);
        this.done++;
        if (event.status === 'FAILED' && !this.failed) this.failed = event;
        break;
      case 'run-finished':
        this.result = event;
        this.running.clear();
        break;
      default:
        break;
    }
  }

  /** "churn 1/3 steps", for the status bar. */
  statusText(): string {
    if (this.total === 0 && this.runId === undefined) return `${this.pipeline} starting`;
    return `${this.pipeline} ${Math.min(this.done, this.total)}/${this.total} steps`;
  }

  /** "churn #bold-owl-12", the run in messages. */
  label(): string {
    return `${this.pipeline}${this.runName ? ` #${this.runName}` : ''}`;
  }

  /** "MLOps: churn #bold-owl-12", the terminal's name. */
  terminalName(): string {
    return terminalName(this.pipeline, this.runName);
  }
}

export function terminalName(pipeline: string, runName?: string): string {
  return `MLOps: ${pipeline}${runName ? ` #${runName}` : ''}`;
}

export type EndSeverity = 'info' | 'warning' | 'error';

/** The notification at the end of a run: its severity and text (which notify prefixes with `MLOps: `). */
export function endMessage(pipeline: string, result: RunResult, failed?: StepSummary): { severity: EndSeverity; text: string } {
  const name = `${pipeline} #${result.runName}`;
  const took = formatMs(result.durationMs);
  switch (result.status) {
    case 'FINISHED': {
      const cached = result.steps.filter((s) => s.cachedFrom).length;
      const registered = result.registered ? `; registered ${result.registered.model} version ${result.registered.version}` : '';
      return {
        severity: 'info',
        text: `${name} finished in ${took}${cached ? ` (${cached} cached step${cached === 1 ? '' : 's'})` : ''}${registered}.`,
      };
    }
    case 'FAILED': {
      const step = failed ?? result.steps.find((s) => s.status === 'FAILED');
      const why = step
        ? `step ${step.step} failed${step.exitCode !== undefined ? ` (exit ${step.exitCode})` : ''}${step.message ? `: ${step.message}` : ''}`
        : 'the run failed';
      return { severity: 'error', text: `${name} failed: ${why}` };
    }
    case 'KILLED':
      return { severity: 'warning', text: `${name} was cancelled after ${took}.` };
  }
}

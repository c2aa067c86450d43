import { formatMs } from '../../core/runner';
import type { RunEvent, RunResult, StepSummary } from '../../core/runner/types';

/** The terminal text of a run: turns runner events into ANSI-coloured lines (CRLF, as a Pseudoterminal needs). */

const ESC = '\x1b[';
const RESET = `${ESC}0m`;
const STYLES = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', blue: '34', magenta: '35', cyan: '36' } as const;
type Style = keyof typeof STYLES;
/** Colours given to step-name prefixes in turn, so that interleaved output stays readable. */
const PREFIX_COLOURS: readonly Style[] = ['cyan', 'magenta', 'blue', 'yellow', 'green'];

export interface RenderOptions {
  /** ANSI colours; off gives plain text (tests, logs). */
  readonly color?: boolean;
  /** Show each `metric` event as a line. */
  readonly metrics?: boolean;
  /** Turns the summary of a finished run into table lines (the engine's formatSummary). */
  readonly formatSummary?: (result: RunResult) => string[];
}

/** LF (and lone CR kept as it is, for progress bars) to the CRLF a terminal needs. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/**
 * Stateful: it knows which steps run at the moment, so that output is prefixed
 * with the step name while several steps run in parallel, and whole lines are
 * written then (a partial line waits for its end or for its step to finish).
 */
export class RunRenderer {
  private readonly running = new Set<string>();
  private readonly partial = new Map<string, string>();
  private readonly prefixColour = new Map<string, Style>();
  /** Whether the last character written ended a line. */
  private atLineStart = true;
  private lastWriter: string | undefined;

  constructor(private readonly options: RenderOptions = {}) {}

  private paint(style: Style | readonly Style[], text: string): string {
    if (this.options.color === false) return text;
    const codes = (Array.isArray(style) ? style : [style]).map((s: Style) => STYLES[s]).join(';');
    return `${ESC}${codes}m${text}${RESET}`;
  }

  /** Text that starts on a fresh line, whatever was written before. */
  private lines(...lines: string[]): string {
    const out = (this.atLineStart ? '' : '\r\n') + lines.map((l) => `${l}\r\n`).join('');
    this.atLineStart = true;
    this.lastWriter = undefined;
    return out;
  }

  private prefix(step: string): string {
    let colour = this.prefixColour.get(step);
    if (!colour) {
      colour = PREFIX_COLOURS[this.prefixColour.size % PREFIX_COLOURS.length]!;
      this.prefixColour.set(step, colour);
    }
    return this.paint(colour, `[${step}] `);
  }

  render(event: RunEvent): string {
    switch (event.type) {
      case 'run-started': {
        const params = Object.entries(event.params)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' ');
        return this.lines(
          this.paint(['bold', 'blue'], `MLOps run ${event.runName} of pipeline ${event.pipeline}`) +
            this.paint('dim', ` (experiment ${event.experimentName}, run id ${event.runId})`),
          this.paint('dim', `steps: ${event.steps.join(' → ')}${params ? `   params: ${params}` : ''}`),
          '',
        );
      }
      case 'step-started': {
        this.running.add(event.step);
        const attempt = event.maxAttempts > 1 ? this.paint('yellow', ` attempt ${event.attempt}/${event.maxAttempts}`) : '';
        return this.lines(this.paint(['bold', 'cyan'], `▶ ${event.step}`) + attempt + this.paint('dim', `  $ ${oneLine(event.command)}`));
      }
      case 'step-output':
        return this.output(event.step, event.text);
      case 'step-retry':
        return (
          this.flush(event.step) +
          this.lines(
            this.paint('yellow', `↻ ${event.step}: attempt ${event.attempt}/${event.maxAttempts} failed (${event.reason}); retrying`),
          )
        );
      case 'step-finished': {
        const flushed = this.flush(event.step);
        this.running.delete(event.step);
        return flushed + this.lines(this.stepFinished(event));
      }
      case 'metric':
        if (!this.options.metrics) return '';
        return this.lines(
          this.paint(
            'dim',
            `  ${event.step ? `[${event.step}] ` : ''}metric ${event.key} = ${formatNumber(event.value)} (step ${event.stepNumber})`,
          ),
        );
      case 'warning':
        return this.lines(this.paint('yellow', `⚠ ${event.step ? `${event.step}: ` : ''}${event.message}`));
      case 'registered': {
        const v = event.version;
        const extras = [v.stage ? `stage ${v.stage}` : '', v.alias ? `alias @${v.alias}` : ''].filter(Boolean).join(', ');
        return this.lines(
          this.paint(['bold', 'green'], `★ Registered model ${v.model} version ${v.version}`) + (extras ? ` (${extras})` : ''),
        );
      }
      case 'register-skipped':
        return this.lines(this.paint('dim', `No model registered: ${event.reason}`));
      case 'run-finished':
        return this.finished(event);
    }
  }

  private stepFinished(s: StepSummary): string {
    const took = formatMs(s.durationMs);
    switch (s.status) {
      case 'SUCCEEDED':
        return s.cachedFrom
          ? this.paint('green', `✔ ${s.step} cached`) + this.paint('dim', ` (reused run ${s.cachedFrom})`)
          : this.paint('green', `✔ ${s.step} succeeded`) + this.paint('dim', ` in ${took}`);
      case 'FAILED':
        return (
          this.paint(['bold', 'red'], `✖ ${s.step} failed`) +
          this.paint(
            'red',
            `${s.exitCode !== undefined ? ` (exit ${s.exitCode})` : ''} after ${took}${s.message ? `: ${s.message}` : ''}`,
          ) +
          (s.logPath ? this.paint('dim', `  log: ${s.logPath}`) : '')
        );
      case 'SKIPPED':
        return this.paint('dim', `○ ${s.step} skipped${s.message ? `: ${s.message}` : ''}`);
      case 'CANCELLED':
        return this.paint('yellow', `■ ${s.step} cancelled`) + this.paint('dim', ` after ${took}`);
    }
  }

  private finished(result: RunResult): string {
    const out: string[] = [''];
    const summary = this.options.formatSummary?.(result);
    if (summary) out.push(...summary);
    else {
      const metrics = Object.entries(result.metrics);
      if (metrics.length) out.push(`metrics: ${metrics.map(([k, v]) => `${k}=${formatNumber(v)}`).join('  ')}`);
    }
    const took = formatMs(result.durationMs);
    const status =
      result.status === 'FINISHED'
        ? this.paint(['bold', 'green'], `✔ Run ${result.runName} finished in ${took}.`)
        : result.status === 'FAILED'
          ? this.paint(['bold', 'red'], `✖ Run ${result.runName} failed after ${took}.`)
          : this.paint(['bold', 'yellow'], `■ Run ${result.runName} was cancelled after ${took}.`);
    out.push('', status);
    return this.lines(...out);
  }

  private output(step: string, text: string): string {
    if (text === '') return '';
    // One step running: its output goes through as it comes, progress bars included.
    if (this.running.size <= 1 && this.partial.size === 0) {
      const out = (this.lastWriter !== step && !this.atLineStart ? '\r\n' : '') + toTerminalText(text);
      this.atLineStart = text.endsWith('\n');
      this.lastWriter = step;
      return out;
    }
    const pending = (this.partial.get(step) ?? '') + text;
    const end = pending.lastIndexOf('\n');
    if (end < 0) {
      this.partial.set(step, pending);
      return '';
    }
    this.partial.delete(step);
    if (end < pending.length - 1) this.partial.set(step, pending.slice(end + 1));
    return this.prefixed(step, pending.slice(0, end).split(/\r?\n/));
  }

  private prefixed(step: string, lines: string[]): string {
    const prefix = this.prefix(step);
    return this.lines(...lines.map((l) => prefix + l));
  }

  /** What is left of a step's last line, on a line of its own. */
  private flush(step: string): string {
    const rest = this.partial.get(step);
    this.partial.delete(step);
    if (rest === undefined || rest === '') return '';
    return this.prefixed(step, [rest]);
  }
}

function oneLine(command: string): string {
  const line = command.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

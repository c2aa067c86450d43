import * as vscode from 'vscode';

export interface RunTerminalHooks {
  /** The terminal is on screen: a task's run starts now. */
  onOpen?(): void;
  /** Ctrl+C, or the terminal closed while the run goes. */
  cancel(reason: string): void;
  isRunning(): boolean;
}

/**
 * The Pseudoterminal a run writes to. It keeps what is written before VS Code
 * opens it; Ctrl+C cancels the run; closing it while the run goes cancels the
 * run. A task's terminal closes with the run's exit code, a command's stays
 * until a key is pressed so that the summary can be read.
 */
export class RunTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  private readonly nameEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly onDidChangeName = this.nameEmitter.event;
  private pending: string[] | undefined = [];
  private ended = false;
  private closed = false;

  constructor(
    private readonly hooks: RunTerminalHooks,
    /** Fire onDidClose when the run ends (a task), instead of waiting for a key. */
    private readonly closeOnEnd: boolean,
  ) {}

  open(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const text of pending) this.writeEmitter.fire(text);
    this.hooks.onOpen?.();
  }

  write(text: string): void {
    if (text === '' || this.closed) return;
    if (this.pending) this.pending.push(text);
    else this.writeEmitter.fire(text);
  }

  rename(name: string): void {
    this.nameEmitter.fire(name);
  }

  /** The run is over: a task's terminal closes with `exitCode`; a command's waits for a key. */
  end(exitCode: number): void {
    if (this.ended) return;
    this.ended = true;
    if (this.closeOnEnd) {
      this.closeEmitter.fire(exitCode);
      return;
    }
    this.write('\r\n\x1b[2mPress any key to close this terminal.\x1b[0m\r\n');
  }

  handleInput(data: string): void {
    if (this.ended) {
      if (!this.closeOnEnd) this.closeEmitter.fire();
      return;
    }
    if (data.includes('\x03') && this.hooks.isRunning()) {
      this.write('^C\r\n');
      this.hooks.cancel('Ctrl+C in its terminal');
    }
  }

  close(): void {
    this.closed = true;
    if (!this.ended && this.hooks.isRunning()) this.hooks.cancel('its terminal was closed');
  }

  dispose(): void {
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
    this.nameEmitter.dispose();
  }
}

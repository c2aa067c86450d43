export interface SavePolicy {
  /** Quiet time after the last write before saving. */
  delayMs: number;
  /** Longest a write waits for a save while writes keep coming (bounds the journal and the replay at open). */
  maxDelayMs: number;
  /** Journal bytes that trigger a save at once. */
  maxPendingBytes: number;
}

export const defaultSavePolicy = (delayMs = 1000): SavePolicy => ({
  delayMs,
  maxDelayMs: Math.max(5000, delayMs * 5),
  maxPendingBytes: 64 * 1024 * 1024,
});

/** Decides when to save the image: debounced after writes, but never put off for longer than the policy allows. */
export class SaveScheduler {
  private timer: NodeJS.Timeout | undefined;
  private firstWrite: number | undefined;
  private lastWrite = 0;

  constructor(
    private readonly policy: SavePolicy,
    private readonly save: () => void,
  ) {}

  noteWrite(pendingBytes: number): void {
    this.lastWrite = Date.now();
    this.firstWrite ??= this.lastWrite;
    if (pendingBytes >= this.policy.maxPendingBytes) this.fire();
    else if (!this.timer) this.arm(this.policy.delayMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.firstWrite = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.check(), ms);
    // The timer must not keep a CLI process alive: unsaved writes are in the journal.
    this.timer.unref();
  }

  private check(): void {
    this.timer = undefined;
    const due = Math.min(this.lastWrite + this.policy.delayMs, (this.firstWrite ?? this.lastWrite) + this.policy.maxDelayMs);
    const wait = due - Date.now();
    if (wait > 0) this.arm(wait);
    else this.fire();
  }

  private fire(): void {
    this.cancel();
    this.save();
  }
}

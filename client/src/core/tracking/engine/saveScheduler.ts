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
  // 5 s by default; a test's short delay (the chaos test's 15 ms) makes saves, and so seals, come often.
  maxDelayMs: delayMs * 5,
  maxPendingBytes: 64 * 1024 * 1024,
});

/** While writes keep coming, saves take at most about 1/SAVE_SHARE of the time... */
const SAVE_SHARE = 10;
/** ...but the journal waits at most this many times the policy's bounds (a crash replays at most that much). */
const MAX_STRETCH = 8;

/**
 * How far a save that took `lastSaveMs` stretches the policy's bounds (maxDelayMs, maxPendingBytes): 1 while
 * saves are cheap; for a large image (every save writes all of it) enough that saving takes at most about a
 * tenth of the time while writes keep coming, up to MAX_STRETCH.
 */
export function saveStretch(policy: SavePolicy, lastSaveMs: number): number {
  return Math.min(MAX_STRETCH, Math.max(1, (SAVE_SHARE * lastSaveMs) / policy.maxDelayMs));
}

/**
 * Decides when to save the image: debounced after writes, but never put off for longer than the policy allows,
 * stretched by the cost of the last save (saveStretch).
 */
export class SaveScheduler {
  private timer: NodeJS.Timeout | undefined;
  private firstWrite: number | undefined;
  private lastWrite = 0;
  private stretch = 1;

  constructor(
    private readonly policy: SavePolicy,
    /** Starts a save; the promise it returns (which must not reject) times it. */
    private readonly save: () => unknown,
  ) {}

  noteWrite(pendingBytes: number): void {
    this.lastWrite = Date.now();
    this.firstWrite ??= this.lastWrite;
    if (pendingBytes >= this.policy.maxPendingBytes * this.stretch) this.fire();
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
    const due = Math.min(this.lastWrite + this.policy.delayMs, (this.firstWrite ?? this.lastWrite) + this.policy.maxDelayMs * this.stretch);
    const wait = due - Date.now();
    if (wait > 0) this.arm(wait);
    else this.fire();
  }

  private fire(): void {
    this.cancel();
    const started = Date.now();
    void Promise.resolve(this.save()).then(() => {
      this.stretch = saveStretch(this.policy, Date.now() - started);
    });
  }
}

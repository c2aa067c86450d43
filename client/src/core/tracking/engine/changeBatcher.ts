import type { StoreChange } from './contract';

interface PendingChange {
  kind: StoreChange['kind'];
  op: StoreChange['op'];
  ids: Set<string>;
}

/**
 * Collects the changes of the writes made in one turn of the event loop and delivers them together,
 * merging runs of the same kind and operation: a thousand logBatch calls on one run become one event.
 */
export class ChangeBatcher {
  private pending: PendingChange[] = [];

  constructor(private readonly deliver: (changes: StoreChange[]) => void) {}

  add(changes: readonly StoreChange[]): void {
    if (changes.length > 0 && this.pending.length === 0) setImmediate(() => this.flush());
    for (const change of changes) {
      const last = this.pending.at(-1);
      if (last && last.kind === change.kind && last.op === change.op) for (const id of change.ids) last.ids.add(id);
      else this.pending.push({ kind: change.kind, op: change.op, ids: new Set(change.ids) });
    }
  }

  flush(): void {
    const pending = this.pending;
    this.pending = [];
    if (pending.length > 0) this.deliver(pending.map((c) => ({ kind: c.kind, ids: [...c.ids], op: c.op })));
  }
}

import { randomBytes } from 'node:crypto';
import type { RepositoryEnv, StoreChange } from './contract';

type Recorded = number | string;

/**
 * The repository's only clock, id source and change sink. During a write it records every value it
 * hands out (they go into the journal entry); during replay it hands the recorded values back in the
 * same order, so a replayed write creates the same ids and timestamps as the acknowledged one.
 */
export class EngineEnv implements RepositoryEnv {
  private recording: Recorded[] | undefined;
  private replaying: { values: Recorded[]; next: number } | undefined;
  private changes: StoreChange[] = [];

  now(): number {
    return this.take('number', Date.now);
  }

  newId(): string {
    return this.take('string', () => randomBytes(16).toString('hex'));
  }

  emit(change: StoreChange): void {
    if (!this.replaying) this.changes.push(change);
  }

  /** Starts a write (or a read, with `record` false): values handed out from here are recorded. */
  begin(record: boolean): void {
    this.recording = record ? [] : undefined;
    this.changes = [];
  }

  /** Ends a write that succeeded: what it recorded and what it changed. */
  commit(): { recorded: Recorded[]; changes: StoreChange[] } {
    const result = { recorded: this.recording ?? [], changes: this.changes };
    this.recording = undefined;
    this.changes = [];
    return result;
  }

  /** Ends a write that failed: its changes never happened. */
  discard(): void {
    this.recording = undefined;
    this.changes = [];
  }

  beginReplay(values: Recorded[]): void {
    this.replaying = { values, next: 0 };
  }

  /** Ends a replay; returns how many recorded values the repository did not ask for (0 when deterministic). */
  endReplay(): number {
    const left = this.replaying ? this.replaying.values.length - this.replaying.next : 0;
    this.replaying = undefined;
    return left;
  }

  private take<T extends Recorded>(type: 'number' | 'string', live: () => T): T {
    if (this.replaying) {
      const value = this.replaying.values[this.replaying.next++];
      if (typeof value !== type)
        throw new Error(`Journal replay diverged: the repository asked for a ${type}, the journal has ${JSON.stringify(value)}`);
      return value as T;
    }
    const value = live();
    this.recording?.push(value);
    return value;
  }
}

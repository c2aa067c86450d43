import type { LogLevel, SerializedError, StoreChange } from './contract';
import type { StoreRecovery } from './engine';
import type { Durability } from './journal';

// Messages between the store (main thread) and the engine's worker. Structured clone carries the
// arguments and results as they are; one message per call, never one per metric point.

export interface WorkerConfig {
  workspaceDir: string;
  saveDelayMs: number | undefined;
  durability: Durability;
}

export type ToWorker =
  { type: 'call'; id: number; method: string; args: unknown[] } | { type: 'flush'; id: number } | { type: 'close'; id: number };

export type FromWorker =
  | { type: 'ready'; recovery: StoreRecovery }
  | { type: 'openFailed'; error: SerializedError }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'changes'; changes: StoreChange[] }
  | { type: 'log'; level: LogLevel; message: string };

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code: unknown = (error as { errorCode?: unknown }).errorCode;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(typeof code === 'string' ? { errorCode: code } : {}),
  };
}

import type { Cell } from '../drift/dataTable';
import type { EntityRows } from './pointInTime';
import type { ViewSpec } from './registry';

/** To a join worker: views to read and index at once (joined in order), and the entity rows, once. */
export type JoinRequest = { type: 'view'; id: number; view: ViewSpec; fields: readonly string[] } | { type: 'entities'; rows: EntityRows };

/** From a join worker, about the view `id`. */
export type JoinReply =
  | { type: 'progress'; id: number; view: string; done: number; total: number }
  | { type: 'result'; id: number; columns: Cell[][] }
  | { type: 'error'; id: number; retrieval: boolean; message: string };

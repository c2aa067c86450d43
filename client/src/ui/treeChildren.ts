import type * as vscode from 'vscode';
import { errorMessage } from '../../../common/src/errors';

/**
 * A tree provider's `getChildren` that never rejects: an error (the store
 * went away, a file vanished) is logged under the view's name and
 * `fallback` stands in for the rows, e.g. one row saying what went wrong.
 */
export async function safeChildren<T>(
  view: string,
  log: Pick<vscode.LogOutputChannel, 'warn'>,
  load: () => Promise<T[]>,
  fallback: (message: string) => T[],
): Promise<T[]> {
  try {
    return await load();
  } catch (error) {
    const message = errorMessage(error);
    log.warn(`${view}: ${message}`);
    return fallback(message);
  }
}

import * as path from 'node:path';

/** The store's files under the workspace (docs/architecture.md, section Workspace files). */
export interface StorePaths {
  dir: string;
  db: string;
  journal: string;
  lock: string;
  artifacts: string;
}

export function storePaths(workspaceDir: string): StorePaths {
  const dir = path.join(path.resolve(workspaceDir), '.mlops');
  return {
    dir,
    db: path.join(dir, 'tracking.db'),
    journal: path.join(dir, 'journal'),
    lock: path.join(dir, 'lock'),
    artifacts: path.join(dir, 'artifacts'),
  };
}

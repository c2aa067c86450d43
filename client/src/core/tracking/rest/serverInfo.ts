import { promises as fs, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** `.mlops/server.json`: where the live endpoint of a workspace listens, and its token. */
export interface ServerInfo {
  url: string;
  token: string;
  pid: number;
}

export function serverInfoPath(workspaceDir: string): string {
  return path.join(workspaceDir, '.mlops', 'server.json');
}

/** Writes server.json atomically (temp file, then rename) and readable by its owner only (0600). */
export async function writeServerInfo(workspaceDir: string, info: ServerInfo): Promise<void> {
  const file = serverInfoPath(workspaceDir);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    await fs.chmod(temp, 0o600);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

export function asServerInfo(value: unknown): ServerInfo | undefined {
  const v = value as Partial<ServerInfo> | null;
  if (!v || typeof v.url !== 'string' || typeof v.token !== 'string' || typeof v.pid !== 'number') return undefined;
  return { url: v.url, token: v.token, pid: v.pid };
}

/** Removes server.json if it still describes `pid`'s server (another may have replaced it). */
export function removeServerInfo(workspaceDir: string, pid: number): void {
  const file = serverInfoPath(workspaceDir);
  try {
    if (asServerInfo(JSON.parse(readFileSync(file, 'utf8')))?.pid === pid) rmSync(file, { force: true });
  } catch {
    // Nothing to remove.
  }
}

/** The endpoint server.json lists, if any (it may be stale: the caller checks what it needs). */
export function readServerInfo(workspaceDir: string): ServerInfo | undefined {
  try {
    return asServerInfo(JSON.parse(readFileSync(serverInfoPath(workspaceDir), 'utf8')));
  } catch {
    return undefined;
  }
}

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StoreLockedError } from '../../client/src/core/tracking/store';
import { serveWorkspace, type WorkspaceTracking } from '../../client/src/core/tracking/workspaceServer';

// What the editor does on start: own the store and serve it, or join the window that already does.
describe('serveWorkspace: one owner serves the store, a second process joins through REST', () => {
  let ws: string;
  let owner: WorkspaceTracking;

  before(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'mlops-serve-ws-'));
    owner = await serveWorkspace({ workspaceDir: ws });
  });

  after(async () => {
    await owner.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('owns the store, listens on loopback and lists the endpoint in server.json (0600), with .mlops git-ignored', () => {
    assert.equal(owner.role, 'owner');
    assert.match(owner.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const info = JSON.parse(readFileSync(path.join(ws, '.mlops/server.json'), 'utf8')) as { url: string; token: string; pid: number };
    assert.deepEqual(info, { url: owner.url, token: owner.token, pid: process.pid });
    assert.equal(statSync(path.join(ws, '.mlops/server.json')).mode & 0o777, 0o600);
    assert.match(readFileSync(path.join(ws, '.mlops/.gitignore'), 'utf8'), /^\*$/m);
  });

  it('refuses a second owner, and lets a peer write through the owner, whose change events see it', async () => {
    await assert.rejects(serveWorkspace({ workspaceDir: ws }), StoreLockedError);
    const peer = await serveWorkspace({ workspaceDir: ws, joinPeer: true });
    assert.equal(peer.role, 'peer');
    assert.equal(peer.url, owner.url);
    const seen: string[] = [];
    const listener = owner.onChange((changes) => seen.push(...changes.map((c) => `${c.kind}:${c.op}`)));
    await peer.api.createRegisteredModel({ name: 'customer_churn' });
    const { registered_model } = await owner.api.getRegisteredModel({ name: 'customer_churn' });
    assert.equal(registered_model.name, 'customer_churn');
    for (let i = 0; i < 50 && !seen.includes('model:create'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(seen.includes('model:create'), JSON.stringify(seen));
    listener.dispose();
    await peer.close();
  });

  it('removes server.json and releases the lock on close, so the next process can own the store', async () => {
    await owner.close();
    assert.equal(existsSync(path.join(ws, '.mlops/server.json')), false);
    const next = await serveWorkspace({ workspaceDir: ws });
    try {
      assert.equal(next.role, 'owner');
      const { registered_model } = await next.api.getRegisteredModel({ name: 'customer_churn' });
      assert.equal(registered_model.name, 'customer_churn', 'the write made through the peer survived');
    } finally {
      await next.close();
    }
  });
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');

function sources(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) out.push(full);
    }
  };
  walk(path.join(ROOT, folder));
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const rel = (file: string) => path.relative(ROOT, file);

describe('architecture: imports flow one way (docs/architecture.md)', () => {
  it('imports vscode only from client/src outside core/ and cli', () => {
    for (const file of [...sources('common/src'), ...sources('server/src'), ...sources('client/src')]) {
      const r = rel(file);
      const allowed = r.startsWith('client/src/ui/') || r === 'client/src/extension.ts';
      if (!allowed) assert.ok(!imports(file).includes('vscode'), `${r} must not import vscode`);
    }
  });

  it('keeps common free of Node built-ins (outside common/src/node) and of client or server code', () => {
    for (const file of sources('common/src')) {
      const nodeAllowed = rel(file).startsWith('common/src/node/');
      for (const spec of imports(file)) {
        if (!nodeAllowed)
          assert.ok(!spec.startsWith('node:') && !['fs', 'path', 'child_process', 'os'].includes(spec), `${rel(file)} imports ${spec}`);
        assert.ok(!/\/(client|server|webviews)\//.test(spec), `${rel(file)} imports ${spec}`);
      }
    }
  });

  it('never imports client from server or server from client', () => {
    for (const file of sources('server/src'))
      for (const spec of imports(file)) assert.ok(!spec.includes('/client/'), `${rel(file)} imports ${spec}`);
    for (const file of sources('client/src'))
      for (const spec of imports(file)) assert.ok(!spec.includes('/server/'), `${rel(file)} imports ${spec}`);
  });

  it('keeps webviews and the rest of common away from common/src/node', () => {
    for (const file of [...sources('webviews/src'), ...sources('common/src')]) {
      if (rel(file).startsWith('common/src/node/')) continue;
      for (const spec of imports(file)) assert.ok(!/(^|\/)node\//.test(spec) || spec.startsWith('node:'), `${rel(file)} imports ${spec}`);
    }
  });

  it('keeps the language server away from the tracking store', () => {
    for (const file of sources('server/src')) {
      for (const spec of imports(file)) assert.ok(!/sql\.js|tracking/.test(spec), `${rel(file)} imports ${spec}`);
    }
  });
});

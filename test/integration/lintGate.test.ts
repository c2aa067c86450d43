import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from '../helpers/cli';

const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
const written: string[] = [];

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}

/** Writes `text` at `relative` in the real tree and lints it with the project's own config, as `npm run lint` would. */
function lint(relative: string, text: string): LintMessage[] {
  const file = path.join(ROOT, relative);
  written.push(file);
  writeFileSync(file, text);
  const result = spawnSync(process.execPath, [ESLINT, '--format', 'json', '--no-warn-ignored', file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.ok(result.stdout, `eslint printed nothing: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout) as { messages: LintMessage[] }[];
  return report?.messages ?? [];
}

const rules = (messages: LintMessage[]) => messages.map((m) => m.ruleId);

describe('the lint gate', () => {
  after(() => {
    for (const file of written) rmSync(file, { force: true });
  });

  it('fails a vscode import in client/src/core, naming the rule that keeps domain logic free of it', () => {
    const messages = lint('client/src/core/lintProbe.ts', "import * as vscode from 'vscode';\nexport const probe = vscode.version;\n");
    const hit = messages.find((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
    assert.ok(hit, `no restricted-import error: ${JSON.stringify(messages)}`);
    assert.equal(hit.line, 1);
    assert.match(hit.message, /VS Code/);
  });

  it('fails a Node built-in in common/ outside common/src/node, and a client import from the server', () => {
    assert.ok(
      rules(lint('common/src/lintProbe.ts', "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n")).includes(
        '@typescript-eslint/no-restricted-imports',
      ),
    );
    assert.ok(
      rules(
        lint('server/src/lintProbe.ts', "import { UsageError } from '../../client/src/core/errors';\nexport const probe = UsageError;\n"),
      ).includes('@typescript-eslint/no-restricted-imports'),
    );
  });

  it('fails a floating promise and a duplicate import, and passes clean code', () => {
    const found = rules(
      lint(
        'client/src/core/lintProbe2.ts',
        "import { readFile } from 'node:fs/promises';\nimport { writeFile } from 'node:fs/promises';\nexport function probe(): void {\n  readFile('x');\n  void writeFile('y', '');\n}\n",
      ),
    );
    assert.ok(found.includes('@typescript-eslint/no-floating-promises'), JSON.stringify(found));
    assert.ok(found.includes('import-x/no-duplicates'), JSON.stringify(found));
    assert.deepEqual(lint('client/src/core/lintProbe3.ts', 'export const probe = (n: number): number => n + 1;\n'), []);
  });
});

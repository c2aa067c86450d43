import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentSymbol } from 'vscode-languageserver';
import { documentSymbols } from '../../server/src/services/pipeline/symbols';
import { parse } from '../helpers/documents';

function names(symbols: readonly DocumentSymbol[]): string[] {
  return symbols.flatMap((s) => [s.name, ...names(s.children ?? [])]);
}

describe('document symbols', () => {
  it('never has an empty name (VS Code rejects the whole outline): the key as written, else (unnamed)', () => {
    const text = 'pipeline: p\nparams:\n  "": 1\nsteps:\n  \'\':\n    run: x\n    outputs:\n      "": out/a.csv\n  ok:\n    run: y\n';
    const all = names(documentSymbols(parse(text)));
    assert.ok(
      all.every((n) => n.trim() !== ''),
      JSON.stringify(all),
    );
    assert.deepEqual(all, ['pipeline p', 'params', '""', 'steps', "''", '""', 'ok']);
  });
});

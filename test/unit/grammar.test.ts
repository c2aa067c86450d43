import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
};

/**
 * A stand-in for VS Code's YAML grammar (which ships with the editor, not
 * with us): keys, comments, and plain or quoted scalars as begin/end rules,
 * as the built-in grammar scans them.
 */
const HOST_YAML = {
  scopeName: 'source.yaml',
  patterns: [
    { match: '#.*$', name: 'comment.line.number-sign.yaml' },
    { match: '^\\s*([\\w.-]+)(:)', captures: { '1': { name: 'entity.name.tag.yaml' } } },
    { begin: '"', end: '"', name: 'string.quoted.double.yaml' },
    { begin: '(?=\\S)', end: '$', name: 'string.unquoted.plain.out.yaml' },
  ],
};

function grammarPath(scope: string): string {
  const entry = manifest.contributes.grammars.find((g) => g.scopeName === scope);
  if (!entry) throw new Error(`no grammar ${scope} in package.json`);
  return path.join(ROOT, entry.path);
}

let registry: textmate.Registry;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope === 'source.yaml') return textmate.parseRawGrammar(JSON.stringify(HOST_YAML), 'yaml.json');
      return textmate.parseRawGrammar(readFileSync(grammarPath(scope), 'utf8'), grammarPath(scope));
    },
    getInjections: (scope) => manifest.contributes.grammars.filter((g) => g.injectTo?.includes(scope)).map((g) => g.scopeName),
  });
});

async function tokens(scope: string, line: string): Promise<{ text: string; scopes: string[] }[]> {
  const grammar = await registry.loadGrammar(scope);
  assert.ok(grammar, `grammar ${scope} loads`);
  const result = grammar.tokenizeLine(line, textmate.INITIAL);
  return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

function scopeOf(list: { text: string; scopes: string[] }[], text: string): string[] {
  const token = list.find((t) => t.text === text);
  assert.ok(token, `a token "${text}" in ${JSON.stringify(list.map((t) => t.text))}`);
  return token.scopes;
}

describe('${{ }} injection grammar', () => {
  it('highlights roots, properties and delimiters inside a plain run command', async () => {
    const list = await tokens('source.mlops-pipeline', 'run: python train.py --data ${{ steps.prepare.outputs.train }} --x 1');
    assert.ok(scopeOf(list, '${{').includes('punctuation.definition.template-expression.begin.mlops'));
    assert.ok(scopeOf(list, 'steps').includes('variable.language.mlops'));
    assert.ok(scopeOf(list, 'prepare').includes('variable.other.property.mlops'));
    assert.ok(scopeOf(list, 'train').includes('variable.other.property.mlops'));
    assert.ok(scopeOf(list, '}}').includes('punctuation.definition.template-expression.end.mlops'));
    // The YAML colours stay underneath: the expression sits inside the plain scalar.
    assert.ok(scopeOf(list, 'steps').includes('string.unquoted.plain.out.yaml'));
    assert.ok(!scopeOf(list, ' --x 1').includes('meta.embedded.expression.mlops'), 'text after }} is plain YAML again');
  });

  it('highlights operators and literals in a condition, in every kind', async () => {
    for (const scope of ['source.mlops-pipeline', 'source.mlops-features', 'source.mlops-monitor']) {
      const list = await tokens(scope, 'when: "${{ metrics.auc >= 0.9 && params.kind == \'rf\' || !true }}"');
      assert.ok(scopeOf(list, 'metrics').includes('variable.language.mlops'), scope);
      assert.ok(scopeOf(list, '>=').includes('keyword.operator.comparison.mlops'), scope);
      assert.ok(scopeOf(list, '&&').includes('keyword.operator.logical.mlops'), scope);
      assert.ok(scopeOf(list, '0.9').includes('constant.numeric.mlops'), scope);
      assert.ok(scopeOf(list, "'rf'").includes('string.quoted.single.mlops'), scope);
      assert.ok(scopeOf(list, 'true').includes('constant.language.boolean.mlops'), scope);
    }
  });

  it('marks an unknown root as invalid and leaves comments alone', async () => {
    const bad = await tokens('source.mlops-pipeline', 'run: echo ${{ nope.x }}');
    assert.ok(scopeOf(bad, 'n').includes('invalid.illegal.expression.mlops'));
    const comment = await tokens('source.mlops-pipeline', '# ${{ params.x }}');
    assert.ok(comment.every((t) => !t.scopes.includes('meta.embedded.expression.mlops')));
  });
});

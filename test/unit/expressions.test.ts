import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expr } from '../../common/src/expressions';
import { findTemplates, parseExpression } from '../../common/src/expressions/parser';

/** A compact rendering of the tree, to compare shapes. */
function show(expr: Expr | undefined): string {
  if (!expr) return '∅';
  switch (expr.type) {
    case 'reference':
      return expr.segments.map((s) => s.name).join('.');
    case 'literal':
      return typeof expr.value === 'string' ? `'${expr.value}'` : String(expr.value);
    case 'unary':
      return `!${show(expr.operand)}`;
    case 'group':
      return `(${show(expr.inner)})`;
    case 'binary':
      return `[${show(expr.left)} ${expr.operator} ${show(expr.right)}]`;
  }
}

const parse = (text: string) => parseExpression(text, 0, text.length);

describe('expressions: the ${{ }} parser', () => {
  it('parses references, literals and operators with their precedence', () => {
    assert.equal(show(parse('steps.train-2.outputs.model').expr), 'steps.train-2.outputs.model');
    assert.equal(
      show(parse("metrics.auc >= 0.9 && metrics.acc > .8 || params.kind == 'it''s'").expr),
      "[[[metrics.auc >= 0.9] && [metrics.acc > 0.8]] || [params.kind == 'it's']]",
    );
    assert.equal(show(parse('!(params.a != -1) && true').expr), '[!([params.a != -1]) && true]');
    assert.equal(show(parse('1e3 <= 2 == false').expr), '[[1000 <= 2] == false]');
  });

  it('keeps absolute offsets on every segment', () => {
    const source = 'run: x ${{ steps.nope.outputs.y }}';
    const [template] = findTemplates(source, 5, source.length);
    assert.ok(template?.expr?.type === 'reference');
    const segment = template.expr.segments[1]!;
    assert.equal(source.slice(segment.start, segment.end), 'nope');
    assert.equal(source.slice(template.start, template.end), '${{ steps.nope.outputs.y }}');
  });

  it('reports errors with the span and a fix in the message', () => {
    const cases: [string, RegExp, string][] = [
      ['', /empty expression/, ''],
      ['params.', /`.` must be followed by a name/, '.'],
      ['a = 1', /use `==` to compare/, '='],
      ['a & b', /use `&&`/, '&'],
      ['"x"', /strings use single quotes/, '"'],
      ["'open", /unterminated string/, "'open"],
      ['(a', /unclosed `\(`/, '('],
      ['a)', /unmatched `\)`/, ')'],
      ['a b', /unexpected name `b` after a complete expression/, 'b'],
      ['a &&', /`&&` needs a value after it/, '&&'],
      ['()', /empty parentheses/, '()'],
      ['a # b', /unexpected character `#`/, '#'],
    ];
    for (const [text, message, span] of cases) {
      const { expr, errors } = parse(text);
      assert.equal(expr, undefined, text);
      assert.match(errors[0]?.message ?? '', message, text);
      assert.equal(text.slice(errors[0]!.start, errors[0]!.end), span, text);
    }
  });

  it('finds every template in a string, and an unclosed one to the end', () => {
    const text = 'a ${{ x.y }} b ${{z}} c ${{ open';
    const templates = findTemplates(text, 0, text.length);
    assert.deepEqual(
      templates.map((t) => [t.closed, text.slice(t.start, t.end)]),
      [
        [true, '${{ x.y }}'],
        [true, '${{z}}'],
        [false, '${{ open'],
      ],
    );
    assert.match(templates[2]!.errors[0]!.message, /unclosed `\$\{\{`/);
  });

  it('does not look past the end it is given', () => {
    const text = 'a: ${{ x }}\nb: ${{ y }}';
    assert.equal(findTemplates(text, 0, 11).length, 1);
  });
});

describe('did-you-mean suggestions', () => {
  it('finds typos, swapped letters, other cases and abbreviations, best first', async () => {
    const { suggestions, didYouMean } = await import('../../common/src/text/suggest');
    assert.deepEqual(suggestions('trian', ['train', 'evaluate', 'preprocess']), ['train']);
    assert.deepEqual(suggestions('production', ['None', 'Staging', 'Production', 'Archived']), ['Production']);
    assert.deepEqual(suggestions('Prod', ['None', 'Staging', 'Production', 'Archived']), ['Production']);
    assert.deepEqual(suggestions('ab', ['abcdef']), [], 'two letters abbreviate nothing');
    assert.deepEqual(suggestions('xyz', ['train']), []);
    assert.equal(didYouMean('neds', ['needs', 'run']), '; did you mean `needs`?');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../helpers/documents';

const pipeline = (run: string) => `pipeline: demo\nparams:\n  name: { type: string, default: x }\nsteps:\n  say:\n    run: ${run}\n`;
const quoted = (run: string) => diagnose(pipeline(run)).filter((d) => d.code === 'quoted-expression');

/** The text after applying a diagnostic's first fix. */
function fixed(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

describe('quoted-expression', () => {
  it('warns of an expression inside double quotes, and removes quotes that wrap it exactly', () => {
    const text = pipeline('echo --name "${{ params.name }}" done');
    const [d] = quoted('echo --name "${{ params.name }}" done');
    assert.equal(d!.severity, 'warning');
    assert.equal(text.slice(d!.start, d!.end), '${{ params.name }}');
    assert.match(d!.message, /inside double quotes: the runner quotes each value itself, so the quote characters reach the program/);
    assert.equal(fixed(text, d!.fixes![0]!.edits), pipeline('echo --name ${{ params.name }} done'));
  });

  it('warns of single quotes too, and offers no fix when the quotes hold more than the expression', () => {
    const [d] = quoted("echo 'hello ${{ params.name }}!'");
    assert.match(d!.message, /single quotes: .* the value ends up unquoted/);
    assert.equal(d!.fixes, undefined);
  });

  it('says nothing of unquoted expressions, quotes elsewhere, or escaped quote characters', () => {
    assert.deepEqual(quoted('echo ${{ params.name }} "two words" \\"${{ params.name }}'), []);
    assert.deepEqual(quoted("echo 'a' ${{ params.name }} 'b'"), []);
    // Command substitution starts a fresh context, even inside double quotes.
    assert.deepEqual(quoted('echo "rows: $(wc -l < ${{ params.name }}) in `cat ${{ params.name }}`"'), []);
    assert.equal(quoted('echo "$(date) ${{ params.name }}"').length, 1, 'after the substitution ends, the quotes hold again');
  });

  it('reads block scalars as the shell text they are', () => {
    const text = `pipeline: demo\nparams:\n  name: { type: string, default: x }\nsteps:\n  say:\n    run: |\n      echo one\n      echo "${'${{ params.name }}'}"\n`;
    const found = diagnose(text).filter((d) => d.code === 'quoted-expression');
    assert.equal(found.length, 1);
    assert.equal(text.slice(found[0]!.start, found[0]!.end), '${{ params.name }}');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose as diagnoseAll, parse } from '../helpers/documents';
import { parseMarkers } from '../helpers/markers';

/** These are the rules every kind shares; the pipeline rules have their own tests. */
function diagnose(text: string, kind: 'pipeline' | 'features' | 'monitor' = 'pipeline') {
  return diagnoseAll(text, kind).filter((d) => d.code === 'yaml-syntax' || d.code === 'duplicate-key');
}

function codesAndRanges(marked: string, kind: 'pipeline' | 'features' | 'monitor' = 'pipeline') {
  const { text, ranges } = parseMarkers(marked);
  const found = diagnose(text, kind);
  return { text, ranges, found, actual: found.map((d) => [d.start, d.end] as [number, number]) };
}

describe('duplicate-key', () => {
  it('reports the repeated key itself, naming the line of the first', () => {
    const { ranges, found, actual } = codesAndRanges('pipeline: a\nsteps:\n  train:\n    run: x\n«pipeline»: b\n');
    assert.deepEqual(actual, ranges);
    assert.equal(found[0]?.code, 'duplicate-key');
    assert.equal(found[0]?.severity, 'error');
    assert.match(found[0]?.message ?? '', /duplicate key `pipeline`: it is already defined on line 1/);
  });

  it('finds repeats in nested maps, flow maps and every later repeat', () => {
    const { ranges, found, actual } = codesAndRanges(
      'steps:\n  train:\n    run: a\n    «run»: b\n    env: {X: 1, «X»: 2}\n  test:\n    run: c\n    «run»: d\n    «run»: e\n',
    );
    assert.deepEqual(actual, ranges);
    assert.ok(found.every((d) => d.code === 'duplicate-key'));
  });

  it('treats keys as YAML resolves them: 1 and "1" differ, "a" and a do not', () => {
    assert.deepEqual(diagnose('m:\n  1: x\n  "1": y\n'), []);
    const { ranges, actual } = codesAndRanges('m:\n  a: x\n  «"a"»: y\n');
    assert.deepEqual(actual, ranges);
  });

  it('finds the same repeats in a map of a few keys as in one of many', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `  k${i}: ${i}\n`).join('');
    for (const others of [0, 20]) {
      const { ranges, found, actual } = codesAndRanges(`m:\n${filler(others)}  1: x\n  "1": y\n  a: z\n  «a»: w\n  «1»: v\n  «a»: u\n`);
      assert.deepEqual(actual, ranges, `${others} other keys`);
      const line = (key: string) => 2 + others + ['1', '"1"', 'a'].indexOf(key);
      assert.deepEqual(
        found.map((d) => d.message.replace(/^duplicate key `(.+)`: it is already defined on line (\d+).*$/, '$1@$2')),
        [`a@${line('a')}`, `1@${line('1')}`, `a@${line('a')}`],
      );
    }
  });

  it('does not confuse the same key in sibling maps', () => {
    assert.deepEqual(diagnose('steps:\n  a:\n    run: x\n  b:\n    run: y\n'), []);
  });

  it('applies to all three kinds', () => {
    for (const kind of ['pipeline', 'features', 'monitor'] as const) {
      const found = diagnose('a: 1\na: 2\n', kind);
      assert.deepEqual(
        found.map((d) => d.code),
        ['duplicate-key'],
        kind,
      );
    }
  });
});

describe('yaml-syntax', () => {
  it('reports a bad indentation where the parser stopped, and keeps the rest of the model', () => {
    const { text, found } = codesAndRanges('steps:\n  a:\n    run: x\n   bad: 1\n  b:\n    run: y\n');
    assert.equal(found.length, 1);
    const d = found[0]!;
    assert.equal(d.code, 'yaml-syntax');
    assert.equal(d.severity, 'error');
    assert.equal(text.slice(d.start, d.end), 'bad', 'the range is on the mis-indented key');
    assert.match(d.message, /^YAML syntax: /);
    assert.deepEqual(Object.keys((parse(text).yaml.toJSON() as { steps: object }).steps), ['a', 'bad', 'b']);
  });

  it('marks the whole token where an unclosed [ is noticed, and points back at the [', () => {
    const { text, ranges } = parseMarkers('steps:\n  train:\n    needs: [prepare\n  «evaluate»:\n    run: x\n');
    const found = diagnose(text);
    assert.equal(found.length, 1);
    assert.deepEqual([found[0]!.start, found[0]!.end], ranges[0]);
    assert.match(found[0]!.message, /the `\[` opened on line 3 is not closed; add `]`/);
    const opener = text.indexOf('[');
    assert.deepEqual(
      found[0]!.related?.map((r) => [r.start, r.end]),
      [[opener, opener + 1]],
    );
  });

  it('reports an unclosed [ once, not the echoes the parser finds on the next line', () => {
    const found = diagnose(
      'steps:\n  train:\n    needs: [prepare\n    run: python3 train.py --epochs 3\n    outputs:\n      model: m.pkl\n',
    );
    assert.deepEqual(
      found.map((d) => d.code),
      ['yaml-syntax'],
    );
    assert.match(found[0]!.message, /not closed/);
  });

  it('at the end of the text, marks the last token instead of the final newline', () => {
    const { text, ranges } = parseMarkers('steps:\n  b:\n    needs: [«prepare»\n\n');
    const found = diagnose(text);
    assert.deepEqual(
      found.map((d) => [d.start, d.end]),
      ranges,
    );
  });

  it('reports an unclosed quote and an unclosed flow sequence', () => {
    const quote = diagnose('pipeline: "unterminated\nsteps: {}\n');
    assert.ok(
      quote.some((d) => d.code === 'yaml-syntax' && /quote/i.test(d.message)),
      JSON.stringify(quote),
    );
    const flow = diagnose('steps:\n  a:\n    needs: [b, c\n    run: x\n');
    assert.ok(
      flow.some((d) => d.code === 'yaml-syntax'),
      JSON.stringify(flow),
    );
  });

  it('never returns an empty range, even at the end of the text', () => {
    for (const text of ['a: "x', 'a: [1', 'a: {', '- a\nb: 1', 'a:\n\t- b', 'k: v\n---\nk: w\n']) {
      for (const d of diagnose(text)) {
        assert.ok(d.end > d.start, `${JSON.stringify(text)} gave ${JSON.stringify(d)}`);
        assert.ok(d.end <= text.length);
      }
    }
  });

  it('says a file holds one document when a second follows ---', () => {
    const found = diagnose('pipeline: a\n---\npipeline: b\n');
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /holds one YAML document/);
  });

  it('reports both a syntax error and a duplicate key in one pass, in position order', () => {
    const found = diagnose('a: 1\na: 2\nb: [1\n');
    assert.deepEqual(
      found.map((d) => d.code),
      ['duplicate-key', 'yaml-syntax'],
    );
  });

  it('is silent on a clean document and an empty one', () => {
    assert.deepEqual(diagnose('pipeline: churn\nsteps:\n  a:\n    run: echo hi\n'), []);
    assert.deepEqual(diagnose(''), []);
  });
});

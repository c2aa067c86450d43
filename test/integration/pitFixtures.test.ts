import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { csvParseRows } from 'd3-dsv';
import { mlops, ROOT } from '../helpers/cli';

// test/fixtures/pit: hand-built cases whose expected training sets pandas merge_asof computed
// (generate.py there; its README says what each case checks).
const CASES = path.join(ROOT, 'test/fixtures/pit');

interface Args {
  features?: string[];
  service?: string;
  fullFeatureNames?: boolean;
  error?: string;
}

/** Cells compare as numbers when both are numbers, as instants when both are timestamps, else as text. */
function same(a: string, b: string): boolean {
  if (a === b) return true;
  if (a === '' || b === '') return false;
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y)) return x === y;
  const [s, t] = [
    Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(a) ? a : `${a.replace(' ', 'T')}Z`),
    Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(b) ? b : `${b.replace(' ', 'T')}Z`),
  ];
  return Number.isFinite(s) && s === t;
}

describe('point-in-time joins against pandas merge_asof (test/fixtures/pit)', () => {
  const cases = readdirSync(CASES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

  it('has the hand-built cases', () => {
    for (const name of [
      'ttl-boundary',
      'created-tiebreak',
      'no-rows',
      'two-views-ttls',
      'field-mapping',
      'full-feature-names',
      'name-collision',
      'service',
      'compound-key',
      'large',
    ])
      assert.ok(cases.includes(name), name);
  });

  for (const name of cases) {
    it(name, () => {
      const dir = path.join(CASES, name);
      const args = JSON.parse(readFileSync(path.join(dir, 'args.json'), 'utf8')) as Args;
      const cli = ['features', 'historical', '--workspace', dir, '--entities', path.join(dir, 'entities.csv')];
      if (args.service) cli.push('--service', args.service);
      else cli.push('--features', (args.features ?? []).join(','));
      if (args.fullFeatureNames) cli.push('--full-feature-names');
      const r = mlops(cli, dir);
      if (args.error !== undefined) {
        assert.equal(r.code, 2, r.stdout);
        assert.ok(r.stderr.includes(args.error), `${r.stderr} should name ${args.error}`);
        return;
      }
      assert.equal(r.code, 0, r.stderr);
      assert.ok(existsSync(path.join(dir, 'expected.csv')));
      const expected = csvParseRows(readFileSync(path.join(dir, 'expected.csv'), 'utf8').trim());
      const actual = csvParseRows(r.stdout.trim());
      assert.deepEqual(actual[0], expected[0], 'columns');
      assert.equal(actual.length, expected.length, 'rows');
      for (let i = 1; i < expected.length; i++)
        expected[i]!.forEach((cell, c) =>
          assert.ok(
            same(actual[i]![c] ?? '', cell),
            `row ${i + 1}, column ${expected[0]![c]}: ours ${JSON.stringify(actual[i]![c])}, pandas ${JSON.stringify(cell)}`,
          ),
        );
    });
  }
});

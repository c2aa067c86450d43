import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DiagnosticCode, MlopsDiagnostic, ValidationContext } from '../../common/src';
import { diagnose } from '../helpers/documents';
import { parseMarkers } from '../helpers/markers';

/** The diagnostics of one code in a marked pipeline, with the marked ranges. */
function check(code: DiagnosticCode, marked: string, context: ValidationContext = {}) {
  const { text, ranges } = parseMarkers(marked);
  const all = diagnose(text, 'pipeline', context);
  const found = all.filter((d) => d.code === code);
  return { text, ranges, all, found, actual: found.map((d) => [d.start, d.end] as [number, number]) };
}

function expectOnly(code: DiagnosticCode, marked: string, messages: RegExp[], context: ValidationContext = {}): MlopsDiagnostic[] {
  const { ranges, found, actual, all } = check(code, marked, context);
  assert.deepEqual(actual, ranges, JSON.stringify(all, null, 1));
  messages.forEach((m, i) => assert.match(found[i]?.message ?? '', m));
  assert.ok(found.every((d) => d.severity === (code === 'unused-param' || code === 'missing-file' ? 'warning' : 'error')));
  return found;
}

const VALID = `pipeline: churn
params:
  lr: { type: float, default: 0.1, min: 0 }
steps:
  train:
    run: python train.py --lr \${{ params.lr }} --out \${{ outputs.model }}
    outputs:
      model: { path: models/m.pkl, type: model }
  evaluate:
    run: python eval.py \${{ steps.train.outputs.model }} \${{ outputs.metrics }}
    outputs:
      metrics: { path: reports/metrics.json, type: metrics }
register:
  model: churn
  from: \${{ steps.train.outputs.model }}
  when: \${{ metrics.auc >= 0.9 && (params.lr < 1 || !false) }}
  stage: Staging
  alias: candidate
`;

describe('pipeline rules (docs/formats.md codes)', () => {
  it('accepts a valid pipeline with every expression form', () => {
    assert.deepEqual(diagnose(VALID), []);
  });

  it('unknown-key: names the key, suggests the closest, offers the fix; legacy spellings map to their key', () => {
    const [typo] = expectOnly('unknown-key', 'pipeline: p\nsteps:\n  a:\n    run: x\n    «neds»: [b]\n  b:\n    run: y\n', [
      /unknown key `neds` in step `a`; did you mean `needs`\?/,
    ]);
    assert.equal(typo?.fixes?.[0]?.title, 'Change to `needs`');
    assert.deepEqual(typo?.fixes?.[0]?.edits[0]?.newText, 'needs');
    const [legacy] = expectOnly('unknown-key', 'pipeline: p\nsteps:\n  a:\n    «command»: python a.py\n    run: x\n', [
      /`command` is not a key of step `a`; use `run`/,
    ]);
    assert.equal(legacy?.fixes?.[0]?.preferred, true);
  });

  it('missing-key: on the owner key, with a fix that adds the key', () => {
    const [step] = expectOnly('missing-key', 'pipeline: p\nsteps:\n  «a»:\n    description: no command\n', [
      /step `a` is missing the required key `run`/,
    ]);
    assert.match(step?.fixes?.[0]?.edits[0]?.newText ?? '', /^ {4}run: \n$/);
    expectOnly('missing-key', '«steps»:\n  a:\n    run: x\n', [/the pipeline file is missing the required key `pipeline`/]);
    expectOnly('missing-key', 'pipeline: p\n«steps»: {}\n', [/`steps` has no steps/]);
    expectOnly('missing-key', 'pipeline: p\nsteps:\n  a: { run: x }\n«register»:\n  model: m\n', [
      /`register` is missing the required key `from`/,
    ]);
  });

  it('type-mismatch: the offending value, for shapes, enums and bounds', () => {
    expectOnly(
      'type-mismatch',
      'pipeline: p\nparams:\n  k: { type: «flaot», default: 1 }\nsteps:\n  a:\n    run: «[x]»\n    retries: «-1»\n    cache: «yes»\n    outputs:\n      o: { path: o.txt, type: «metric» }\n    env: { A: «[1]» }\nregister:\n  model: m\n  from: ${{ steps.a.outputs.o }}\n  stage: «production»\n',
      [
        /`flaot` is not a valid type; did you mean `float`\?/,
        /`run` must be a string, not a list/,
        /`retries` must be at least 0/,
        /`cache` must be `true` or `false`/,
        /`metric` is not a valid output type; did you mean `metrics`\?/,
        /environment variable `A` needs a string value/,
        /`production` is not a valid stage; did you mean `Production`\?/,
      ],
    );
  });

  it('invalid-name: pipeline name, step id, param and output names, alias', () => {
    expectOnly(
      'invalid-name',
      'pipeline: «Churn Model»\nparams:\n  «1st»: 3\nsteps:\n  «bad step»:\n    run: x ${{ params.1st }}\n    outputs:\n      «o.k»: a.txt\nregister:\n  model: m\n  from: x\n  alias: «latest»\n',
      [
        /invalid pipeline name `Churn Model`/,
        /invalid param name `1st`/,
        /invalid step id `bad step`/,
        /invalid output name `o.k`/,
        /invalid alias `latest`/,
      ],
    );
  });

  it('invalid-duration: numbers without a unit and words', () => {
    const [bare] = expectOnly(
      'invalid-duration',
      'pipeline: p\nsteps:\n  a:\n    run: x\n    timeout: «30»\n  b:\n    run: y\n    timeout: «soon»\n  c:\n    run: z\n    timeout: 1h30m\n',
      [/needs a unit: `30s`/, /`soon` is not a duration/],
    );
    assert.equal(bare?.fixes?.[0]?.edits[0]?.newText, '30s');
  });

  it('bad-expression: parse errors, unknown roots, misplaced operators and roots, expressions where none are evaluated', () => {
    expectOnly(
      'bad-expression',
      [
        'pipeline: p',
        'steps:',
        '  a:',
        '    run: echo ${{ «foo».bar }} ${{ params.x «==» 1 }} ${{ «metrics».auc }} ${{ params.x «)» }} «${{» ',
        '    outputs:',
        '      o: «${{ run.dir }}»/o.txt',
        'params:',
        '  x: 1',
        'register:',
        '  model: m',
        '  from: ${{ «outputs».o }}',
        '  when: ${{ metrics.auc «>=» }}',
        '',
      ].join('\n'),
      [
        /unknown root `foo`; use `params`/,
        /operators are allowed only in conditions/,
        /`metrics.NAME` is available only in `register.when`/,
        /unmatched `\)`/,
        /unclosed `\$\{\{`/,
        /expressions are not evaluated in `outputs`/,
        /`outputs.NAME` means the current step's outputs/,
        /`>=` needs a value after it/,
      ],
    );
  });

  it('unknown-param / unknown-step / unknown-output: exactly the segment, with did-you-mean fixes', () => {
    const [param] = expectOnly(
      'unknown-param',
      'pipeline: p\nparams:\n  lr: 0.1\nsteps:\n  a:\n    run: x ${{ params.«lrr» }} ${{ params.lr }}\n',
      [/unknown param `lrr`; did you mean `lr`\?/],
    );
    assert.deepEqual(
      param?.fixes?.map((f) => f.title),
      ['Change to `lr`', 'Declare param `lrr` (string)'],
    );
    expectOnly(
      'unknown-step',
      'pipeline: p\nsteps:\n  train:\n    run: x\n    outputs: { m: m.pkl }\n  evaluate:\n    needs: [«trian»]\n    run: y ${{ steps.«nope».outputs.x }}\n',
      [/`needs` names no step `trian`; did you mean `train`\?/, /unknown step `nope`/],
    );
    expectOnly(
      'unknown-output',
      'pipeline: p\nsteps:\n  train:\n    run: x ${{ outputs.«modl» }}\n    outputs: { model: m.pkl }\n  evaluate:\n    run: y ${{ steps.train.outputs.«modle» }}\n',
      [/this step has no output `modl`; did you mean `model`\?/, /step `train` has no output `modle`; did you mean `model`\?/],
    );
  });

  it('declares a missing param with the type its use implies', () => {
    const { text } = parseMarkers(
      'pipeline: p\nsteps:\n  a:\n    run: x\nregister:\n  model: m\n  from: x\n  when: ${{ params.threshold > 2 }}\n',
    );
    const [d] = diagnose(text).filter((x) => x.code === 'unknown-param');
    const fix = d?.fixes?.find((f) => f.title.startsWith('Declare'));
    assert.equal(fix?.title, 'Declare param `threshold` (int)');
    const edit = fix!.edits[0]!;
    const fixed = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    assert.match(fixed, /^pipeline: p\nparams:\n {2}threshold: \{ type: int, default: 0 \}\nsteps:/);
    assert.deepEqual(
      diagnose(fixed).filter((x) => x.code === 'unknown-param'),
      [],
    );
  });

  it('cycle: every edge of the cycle, each message listing the whole cycle', () => {
    const found = expectOnly(
      'cycle',
      'pipeline: p\nsteps:\n  train:\n    needs: [«evaluate»]\n    run: x\n    outputs: { m: m.pkl }\n  evaluate:\n    run: y ${{ steps.«train».outputs.m }}\n  solo:\n    needs: [«solo»]\n    run: z\n',
      [/dependency cycle: evaluate -> train -> evaluate/, /dependency cycle: train -> evaluate -> train/, /step `solo` needs itself/],
    );
    assert.equal(found.length, 3);
  });

  it('param-default: type, enum, min and max', () => {
    expectOnly(
      'param-default',
      'pipeline: p\nparams:\n  n: { type: int, default: «1.5» }\n  k: { type: string, default: «x», enum: [a, b] }\n  f: { type: float, default: «2», max: 1 }\n  q: { type: float, default: «-1», min: 0 }\n  b: { type: bool, default: «maybe» }\nsteps:\n  a:\n    run: ${{ params.n }} ${{ params.k }} ${{ params.f }} ${{ params.q }} ${{ params.b }}\n',
      [/not an `int`/, /not one of its enum values `a` or `b`/, /above its maximum 1/, /below its minimum 0/, /not a `bool`/],
    );
  });

  it('output-conflict: both outputs, after normalising paths and workdirs', () => {
    expectOnly(
      'output-conflict',
      'pipeline: p\nsteps:\n  a:\n    run: x\n    outputs: { o: «./out/m.pkl» }\n  b:\n    run: y\n    workdir: out\n    outputs: { o: { path: «m.pkl» } }\n',
      [/`out\/m.pkl` is also written by `b.o`/, /`out\/m.pkl` is also written by `a.o`/],
    );
  });

  it('unused-param: a warning on the param key', () => {
    expectOnly('unused-param', 'pipeline: p\nparams:\n  «spare»: 1\n  used: 2\nsteps:\n  a:\n    run: x ${{ params.used }}\n', [
      /param `spare` is never used/,
    ]);
  });

  it('missing-file: literal inputs missing on disk; inputs another step writes without running first, with an add-needs fix', () => {
    const exists = new Set(['steps/a.py']);
    const context: ValidationContext = { fileExists: (_uri, p) => exists.has(p) };
    const [, produced] = expectOnly(
      'missing-file',
      'pipeline: p\nsteps:\n  prep:\n    run: x\n    outputs: { train: data/train.csv }\n  fit:\n    run: y\n    inputs: [steps/a.py, «steps/b.py», «data/train.csv», "data/*.csv", "${{ params.p }}"]\n',
      [
        /`steps\/b.py` does not exist/,
        /`data\/train.csv` is written by step `prep`, which may not have run before `fit`; add `prep` to `needs`/,
      ],
      context,
    );
    const fix = produced?.fixes?.[0];
    assert.equal(fix?.title, 'Add `prep` to `needs` of `fit`');
    assert.equal(fix?.edits[0]?.newText, '    needs: [prep]\n');
  });

  it('reports every problem at once, and keeps checking past a YAML error where the parser recovers', () => {
    const { text } = parseMarkers(
      'pipeline: p\nsteps:\n  a:\n    run: x ${{ params.nope }}\n    needs: [b\n  c:\n    run: y ${{ steps.zz.outputs.o }}\n    retries: -2\n',
    );
    const codes = diagnose(text).map((d) => d.code);
    assert.ok(codes.includes('yaml-syntax'), codes.join());
    assert.ok(codes.includes('unknown-param'), codes.join());
  });

  it('keeps quiet on an empty file being started', () => {
    assert.deepEqual(diagnose(''), []);
    assert.deepEqual(diagnose('# a new pipeline\n'), []);
  });
});

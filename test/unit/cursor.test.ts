import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cursorContext, type CursorContext } from '../../common/src/pipeline/cursor';
import { formatCursor, type FormatCursor } from '../../common/src/yaml/cursor';
import { completion } from '../../server/src/services/pipeline/completion';
import { parse } from '../helpers/documents';
import { parseMarkers } from '../helpers/markers';

/**
 * `‸` marks the cursor (`|` is YAML's block-scalar indicator); `«»` marks the
 * range a completion would replace, when the test checks it.
 */
function at(marked: string): { context: CursorContext; range?: { start: number; end: number }; text: string } {
  const caret = marked.indexOf('‸');
  assert.ok(caret >= 0, 'no ‸ in the test text');
  const offset = caret - (marked.slice(0, caret).match(/[«»]/g)?.length ?? 0);
  const { text, ranges } = parseMarkers(marked.replace('‸', ''));
  const [first] = ranges;
  return { context: cursorContext(parse(text), offset), text, ...(first ? { range: { start: first[0], end: first[1] } } : {}) };
}

/** The context at ‸, with the kind asserted. */
function expect<K extends CursorContext['kind']>(marked: string, kind: K): Extract<CursorContext, { kind: K }> {
  const { context, range } = at(marked);
  assert.equal(context.kind, kind, `${JSON.stringify(marked)}: ${JSON.stringify(context)}`);
  if (range && context.kind !== 'none') assert.deepEqual(context.range, range, `${JSON.stringify(marked)}: range`);
  return context as Extract<CursorContext, { kind: K }>;
}

const STEPS = 'steps:\n  prep:\n    run: python prep.py\n    outputs:\n      train: data/train.csv\n';

describe('cursorContext: keys by position', () => {
  it('offers the top level in an empty document, on a blank line at column 0 and on a partial key', () => {
    assert.equal(expect('‸', 'key').map.kind, 'top');
    const blank = expect('pipeline: x\n‸', 'key');
    assert.deepEqual([blank.map.kind, blank.present, blank.prefix], ['top', ['pipeline'], '']);
    const partial = expect(`pipeline: x\n${STEPS}«pa‸»\n`, 'key');
    assert.deepEqual([partial.map.kind, partial.present, partial.prefix, partial.hasColon], ['top', ['pipeline', 'steps'], 'pa', false]);
    assert.equal(expect('«pip‸»', 'key').map.kind, 'top', 'a root that is only a scalar');
  });

  it('takes the map from the indentation of a blank line', () => {
    const text = 'pipeline: x\nsteps:\n  a:\n    run: x\n    outputs:\n      o: p\n‸\n  b:\n    run: y\n';
    const at = (indent: number) => text.replace('‸', `${' '.repeat(indent)}‸`);
    assert.equal(expect(at(0), 'key').map.kind, 'top');
    assert.equal(expect(at(2), 'key').map.kind, 'steps');
    const step = expect(at(4), 'key');
    assert.deepEqual([step.map.kind, step.map.step, step.present], ['step', 'a', ['run', 'outputs']]);
    assert.equal(expect(at(6), 'key').map.kind, 'outputs');
  });

  it('gives step keys on a blank or half-typed line of a step, with the keys already there', () => {
    const blank = expect(`${STEPS}    ‸\n  next:\n    run: y\n`, 'key');
    assert.deepEqual(
      [blank.map.kind, blank.map.step, blank.present, blank.range],
      ['step', 'prep', ['run', 'outputs'], { start: blank.range.start, end: blank.range.start }],
    );
    const partial = expect(`${STEPS}    «ne‸»\n  next:\n    run: y\n`, 'key');
    assert.deepEqual([partial.prefix, partial.present], ['ne', ['run', 'outputs']]);
    const first = expect('steps:\n  fresh:\n    «ru‸»\n', 'key');
    assert.deepEqual([first.map.kind, first.map.step, first.present], ['step', 'fresh', []]);
    const underId = expect('steps:\n  fresh:\n    ‸', 'key');
    assert.equal(underId.map.step, 'fresh');
  });

  it('covers the whole key when the cursor is on an existing one', () => {
    const inside = expect('steps:\n  a:\n    run: x\n    «ti‸meout»: 30m\n', 'key');
    assert.deepEqual([inside.prefix, inside.hasColon, inside.present], ['ti', true, ['run']]);
    const before = expect('steps:\n  a:\n    ‸«retries»: 2\n', 'key');
    assert.deepEqual([before.prefix, before.hasColon], ['', true]);
  });

  it('knows param specs, block and flow', () => {
    const block = expect('params:\n  p:\n    type: int\n    «de‸»\n', 'key');
    assert.deepEqual([block.map.kind, block.map.path, block.present, block.flow], ['param', ['params', 'p'], ['type'], false]);
    const flow = expect('params:\n  p: { «ty‸» }\n', 'key');
    assert.deepEqual([flow.map.kind, flow.present, flow.flow], ['param', [], true]);
    const afterComma = expect('params:\n  p: { type: int, ‸ }\n', 'key');
    assert.deepEqual(afterComma.present, ['type']);
    const keysAfter = expect('params:\n  p: { ‸, default: 1, min: 0 }\n', 'key');
    assert.deepEqual(keysAfter.present, ['default', 'min']);
    const openBrace = expect('params:\n  p: {‸', 'key');
    assert.deepEqual([openBrace.map.kind, openBrace.present], ['param', []]);
    const shorthand = expect('params:\n  p:\n    ‸', 'key');
    assert.equal(shorthand.map.kind, 'param');
    assert.equal(expect('params:\n  ‸', 'key').map.kind, 'params');
  });

  it('knows output specs, register and resources', () => {
    const block = expect(`${STEPS}      model:\n        path: m.pkl\n        ‸\n`, 'key');
    assert.deepEqual([block.map.kind, block.map.path, block.present], ['output', ['steps', 'prep', 'outputs', 'model'], ['path']]);
    const flow = expect(`${STEPS}      model: { path: m.pkl, «t‸» }\n`, 'key');
    assert.deepEqual([flow.map.kind, flow.present, flow.flow], ['output', ['path'], true]);
    const register = expect(`${STEPS}register:\n  model: churn\n  ‸\n`, 'key');
    assert.deepEqual([register.map.kind, register.present], ['register', ['model']]);
    const resources = expect(`${STEPS}    resources:\n      cpu: 1\n      «me‸»\n`, 'key');
    assert.deepEqual([resources.map.kind, resources.map.step, resources.present], ['resources', 'prep', ['cpu']]);
  });

  it('sees nothing to complete in comments, quoted keys and after a key with spaces', () => {
    expect('# a comment ‸\n', 'none');
    expect('steps:\n  a:\n    run: x # note ‸\n', 'none');
    expect('"pipe‸', 'none');
    expect('pipe line‸', 'none');
    expect('pipeline: x  # ‸', 'none');
  });
});

describe('cursorContext: values', () => {
  it('gives the key whose value is typed, in block and flow maps', () => {
    const paramType = expect('params:\n  p:\n    type: «st‸»\n', 'value');
    assert.deepEqual([paramType.map.kind, paramType.key, paramType.prefix], ['param', 'type', 'st']);
    const flowType = expect('params:\n  p: { type: ‸, default: 1 }\n', 'value');
    assert.deepEqual([flowType.map.kind, flowType.key, flowType.prefix], ['param', 'type', '']);
    const outputType = expect(`${STEPS}      m: { path: m.pkl, type: «mo‸» }\n`, 'value');
    assert.deepEqual([outputType.map.kind, outputType.key], ['output', 'type']);
    const stage = expect('register:\n  stage: ‸', 'value');
    assert.deepEqual([stage.map.kind, stage.key], ['register', 'stage']);
    const cache = expect(`${STEPS}    cache: ‸\n`, 'value');
    assert.deepEqual([cache.map.kind, cache.key], ['step', 'cache']);
    const model = expect('register:\n  model: «chu‸»\n  from: x\n', 'value');
    assert.deepEqual([model.map.kind, model.key, model.prefix], ['register', 'model', 'chu']);
  });

  it('starts the value right after the colon', () => {
    const value = expect('params:\n  p:\n    type:‸\n', 'value');
    assert.equal(value.prefix, '');
  });

  it('reads output paths, plain, quoted and in a spec', () => {
    const plain = expect(`${STEPS}      m: «models/‸»\n`, 'value');
    assert.deepEqual([plain.map.kind, plain.key, plain.prefix], ['outputs', 'm', 'models/']);
    const quoted = expect(`${STEPS}      m: { path: "«data/tr‸ain.csv»", type: model }\n`, 'value');
    assert.deepEqual([quoted.map.kind, quoted.key, quoted.prefix, quoted.quoted], ['output', 'path', 'data/tr', true]);
  });

  it('sees nothing after a closed quoted value or on a block scalar header', () => {
    expect('register:\n  model: "a"‸\n', 'none');
    expect('steps:\n  a:\n    run: |‸\n', 'none');
  });
});

describe('cursorContext: list items', () => {
  const base = 'steps:\n  a:\n    run: x\n  b:\n';
  it('reads flow lists, with the items before and after the cursor', () => {
    const empty = expect(`${base}    needs: [a, ‸]\n`, 'item');
    assert.deepEqual([empty.map.kind, empty.map.step, empty.key, empty.items, empty.flow], ['step', 'b', 'needs', ['a'], true]);
    const first = expect(`${base}    needs: [‸, c]\n`, 'item');
    assert.deepEqual(first.items, ['c']);
    const partial = expect(`${base}    needs: [a, «x‸»]\n`, 'item');
    assert.deepEqual([partial.prefix, partial.items], ['x', ['a']]);
    const word = expect(`${base}    needs: [‸«a», c]\n`, 'item');
    assert.deepEqual([word.prefix, word.items], ['', ['c']]);
    const noSpace = expect(`${base}    needs: [a,‸]\n`, 'item');
    assert.deepEqual(noSpace.items, ['a']);
  });

  it('reads an unclosed flow list without taking the next lines as items', () => {
    const open = expect(`${base}    needs: [a, ‸\n  c:\n    run: z\n`, 'item');
    assert.deepEqual([open.map.step, open.items], ['b', ['a']]);
    const bracket = expect(`${base}    needs: [‸`, 'item');
    assert.deepEqual(bracket.items, []);
  });

  it('reads a flow list over several lines', () => {
    const context = expect(`${base}    needs: [\n      a,\n      ‸\n    ]\n    run: y\n`, 'item');
    assert.deepEqual([context.map.step, context.key, context.items], ['b', 'needs', ['a']]);
  });

  it("reads block lists, indented or at the key's column", () => {
    const indented = expect(`${base}    needs:\n      - a\n      - ‸\n    run: y\n`, 'item');
    assert.deepEqual([indented.map.step, indented.key, indented.items, indented.flow], ['b', 'needs', ['a'], false]);
    const sameColumn = expect(`${base}    needs:\n    - a\n    - «c‸»\n`, 'item');
    assert.deepEqual([sameColumn.key, sameColumn.items, sameColumn.prefix], ['needs', ['a'], 'c']);
    expect(`${base}    needs:\n      - a\n      -‸\n`, 'none');
  });

  it('reads the scalar form and a value on the line below its key', () => {
    const scalar = expect(`${base}    needs: ‸\n`, 'value');
    assert.deepEqual([scalar.map.step, scalar.key], ['b', 'needs']);
    const below = expect(`${base}    needs:\n      ‸\n`, 'value');
    assert.equal(below.key, 'needs');
  });

  it("keeps an unclosed quote to the cursor's line", () => {
    const context = expect(`${base}    inputs: ["«data/‸»\n    env: { A: "1" }\n`, 'item');
    assert.deepEqual([context.key, context.prefix, context.quoted], ['inputs', 'data/', true]);
  });

  it('reads inputs, quoted or not', () => {
    const plain = expect(`${base}    inputs: [«steps/‸»]\n`, 'item');
    assert.deepEqual([plain.key, plain.prefix, plain.quoted], ['inputs', 'steps/', false]);
    const quoted = expect(`${base}    inputs: [a.py, "«data/‸»"]\n`, 'item');
    assert.deepEqual([quoted.items, quoted.prefix, quoted.quoted], [['a.py'], 'data/', true]);
    const block = expect(`${base}    inputs:\n      - «da‸»\n`, 'item');
    assert.deepEqual([block.key, block.prefix], ['inputs', 'da']);
  });
});

describe('cursorContext: expressions', () => {
  const step = (value: string) => `params:\n  n: 1\nsteps:\n  a:\n    run: x\n  b:\n    run: ${value}\n`;

  it('reads every segment of a reference', () => {
    const cases: [string, string[], string][] = [
      ['python ${{ ‸', [], ''],
      ['python ${{‸', [], ''],
      ['python ${{ «pa‸»', [], 'pa'],
      ['python ${{ params.‸', ['params'], ''],
      ['python ${{ params.«n‸» }}', ['params'], 'n'],
      ['python ${{ steps.‸', ['steps'], ''],
      ['python ${{ steps.«a‸»', ['steps'], 'a'],
      ['python ${{ steps.a.‸', ['steps', 'a'], ''],
      ['python ${{ steps.a.outputs.‸ }}', ['steps', 'a', 'outputs'], ''],
      ['python ${{ outputs.«o‸» }}', ['outputs'], 'o'],
      ['python ${{ run.‸', ['run'], ''],
      ['python ${{ pipeline.‸', ['pipeline'], ''],
      ['python ${{ env.‸', ['env'], ''],
      ['python ${{ params.n }} --x ${{ steps.‸', ['steps'], ''],
    ];
    for (const [value, segments, prefix] of cases) {
      const context = expect(step(value), 'expression');
      assert.deepEqual(
        [context.segments, context.prefix, context.map.step, context.key, context.allowed],
        [segments, prefix, 'b', 'run', true],
        value,
      );
    }
  });

  it('replaces the whole segment the cursor is in', () => {
    const context = expect(step('x ${{ params.«in‸put» }}'), 'expression');
    assert.equal(context.prefix, 'in');
  });

  it('is not in an expression after `}}`, in a string literal or in a number', () => {
    expect(step('python ${{ params.n }} ‸'), 'value');
    expect(step("python ${{ 'par‸"), 'none');
    expect(step('python ${{ 1.‸'), 'none');
  });

  it('knows the key and condition of every place that allows expressions', () => {
    const when = expect('register:\n  when: ${{ metrics.auc >= 0.9 && «me‸»', 'expression');
    assert.deepEqual([when.map.kind, when.key, when.condition, when.allowed, when.prefix], ['register', 'when', true, true, 'me']);
    const from = expect('register:\n  from: ${{ steps.‸ }}\n', 'expression');
    assert.deepEqual([from.key, from.condition, from.map.step], ['from', false, undefined]);
    const topEnv = expect('env:\n  A: ${{ params.‸', 'expression');
    assert.deepEqual([topEnv.map.kind, topEnv.allowed, topEnv.map.step], ['env', true, undefined]);
    const stepEnv = expect('steps:\n  a:\n    env: { A: "${{ outputs.‸" }\n', 'expression');
    assert.deepEqual([stepEnv.map.kind, stepEnv.map.step, stepEnv.allowed], ['env', 'a', true]);
    const inputs = expect('steps:\n  a:\n    inputs: [a.py, "${{ params.‸"]\n', 'expression');
    assert.deepEqual([inputs.key, inputs.allowed], ['inputs', true]);
    const blockInputs = expect('steps:\n  a:\n    inputs:\n      - ${{ steps.‸\n', 'expression');
    assert.deepEqual([blockInputs.key, blockInputs.allowed], ['inputs', true]);
    const workdir = expect('steps:\n  a:\n    workdir: ${{ params.‸', 'expression');
    assert.equal(workdir.allowed, false);
    const output = expect('steps:\n  a:\n    outputs:\n      o: ${{ params.‸', 'expression');
    assert.equal(output.allowed, false);
  });

  it('reads block scalars and quoted values', () => {
    const block = expect('steps:\n  a:\n    run: |\n      echo hi\n      python ${{ outputs.‸\n  b:\n    run: y\n', 'expression');
    assert.deepEqual([block.map.step, block.key, block.segments], ['a', 'run', ['outputs']]);
    const folded = expect('steps:\n  a:\n    run: >-\n      python ${{ params.‸ }}\n', 'expression');
    assert.deepEqual([folded.key, folded.segments], ['run', ['params']]);
    const quoted = expect('steps:\n  a:\n    run: "python ${{ steps.‸"\n', 'expression');
    assert.equal(quoted.key, 'run');
    expect('steps:\n  a:\n    run: |\n      python x: ‸\n', 'none');
  });
});

describe('cursorContext: robustness', () => {
  const SAMPLE = [
    '# churn',
    'pipeline: churn',
    'params:',
    '  input_data: { type: path, default: data/churn.csv }',
    '  quick: false',
    'env:',
    '  A: "${{ params.quick }}"',
    'steps:',
    '  prep:',
    '    run: |',
    '      python prep.py ${{ params.input_data }}',
    '    inputs: [steps/prep.py, "${{ params.input_data }}"]',
    '    outputs:',
    '      train: data/train.csv',
    '      model: { path: m.pkl, type: model }',
    '  train:',
    '    needs:',
    '    - prep',
    '    run: python t.py ${{ steps.prep.outputs.train }} # note',
    'register:',
    '  model: m',
    '  when: ${{ metrics.auc >= 0.9 }}',
    '',
  ].join('\n');

  it('answers every offset of mutated documents without throwing', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = [
      '${{',
      '}}',
      '[',
      ']',
      '{',
      '}',
      ':',
      ' ',
      '\n',
      '- ',
      '"',
      "'",
      '#',
      '|',
      '.',
      ',',
      '\t',
      '\r\n',
      'steps.',
      'needs: [',
    ];
    const docs = [SAMPLE, '', '\n\n', ':', '- a', '[', '{a: [b, {c: ', '"unterminated', 'a:\n  - b:\n    - c'];
    for (let n = 0; n < 150; n++) {
      let text = SAMPLE;
      for (let k = random(4) + 1; k > 0; k--) {
        const at = random(text.length + 1);
        text =
          random(3) === 0
            ? text.slice(0, at) + text.slice(at + random(12))
            : text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at);
      }
      docs.push(text);
    }
    for (const text of docs) {
      const doc = parse(text);
      for (let offset = 0; offset <= text.length; offset++) {
        assert.doesNotThrow(() => cursorContext(doc, offset), `${JSON.stringify(text)} at ${offset}`);
        // The completion service on top of it, in-process: no throw either (the file's folder does not exist).
        assert.doesNotThrow(
          () => completion(doc, doc.text.positionAt(offset), { registeredModels: ['m'] }),
          `completion: ${JSON.stringify(text)} at ${offset}`,
        );
      }
    }
  });

  it('reads CRLF line ends and a document start marker', () => {
    const crlf = expect('pipeline: x\r\nsteps:\r\n  a:\r\n    run: y\r\n    «ne‸»\r\n', 'key');
    assert.deepEqual([crlf.map.kind, crlf.map.step, crlf.present], ['step', 'a', ['run']]);
    const value = expect('steps:\r\n  a:\r\n    needs: [‸]\r\n', 'item');
    assert.equal(value.key, 'needs');
    const marker = expect('---\npipeline: x\n‸', 'key');
    assert.deepEqual([marker.map.kind, marker.present], ['top', ['pipeline']]);
  });
});

/** The features or monitor cursor at ‸, with the fields the completion reads. */
function formatAt(marked: string, kind: 'features' | 'monitor' = 'features'): Partial<FormatCursor> | undefined {
  const offset = marked.indexOf('‸');
  const cursor = formatCursor(parse(marked.replace('‸', ''), kind), offset);
  if (!cursor) return undefined;
  const { path, at, key, dash, flow, hasColon, prefix, range } = cursor;
  return {
    path,
    at,
    ...(key !== undefined ? { key } : {}),
    dash,
    flow,
    hasColon,
    prefix,
    range: { start: range.start - offset, end: range.end - offset },
  };
}

describe('formatCursor: the same cursor in features and monitor files', () => {
  it('descends into lists of maps and reads `- key: value` as a key of the item', () => {
    assert.deepEqual(formatAt('entities:\n  - name: c\n    value_type: St‸\n'), {
      path: ['entities', '[]'],
      at: 'value',
      key: 'value_type',
      dash: false,
      flow: false,
      hasColon: true,
      prefix: 'St',
      range: { start: -2, end: 0 },
    });
    assert.deepEqual(formatAt('entities:\n  - na‸me: c\n'), {
      path: ['entities', '[]'],
      at: 'key',
      dash: true,
      flow: false,
      hasColon: true,
      prefix: 'na',
      range: { start: -2, end: 2 },
    });
    assert.deepEqual(formatAt('entities:\n- name: c\n  ‸\n')?.path, ['entities', '[]'], 'a compact list');
    assert.deepEqual(formatAt('feature_views:\n  - name: v\n    schema:\n      - name: x\n        dt‸\n')?.path, [
      'feature_views',
      '[]',
      'schema',
      '[]',
    ]);
  });

  it('gives a bare `- x` as a key after a dash, which may be an item', () => {
    assert.deepEqual(formatAt('feature_services:\n  - name: s\n    features:\n      - vi‸\n'), {
      path: ['feature_services', '[]', 'features', '[]'],
      at: 'key',
      dash: true,
      flow: false,
      hasColon: false,
      prefix: 'vi',
      range: { start: -2, end: 0 },
    });
    const quoted = formatAt('columns:\n  - "ag‸"\n', 'monitor');
    assert.deepEqual([quoted?.path, quoted?.at, quoted?.dash, quoted?.prefix], [['columns', '[]'], 'key', true, 'ag']);
    assert.deepEqual(formatAt('columns:\n  -‸ age\n', 'monitor')?.range, { start: 0, end: 0 }, 'right after the dash');
  });

  it('stops the replace range at the first space or `:` and leaves the opening quote out of the prefix', () => {
    assert.deepEqual(formatAt('monitor: m\nreference: "data/cu‸stomers.csv"\n', 'monitor'), {
      path: [],
      at: 'value',
      key: 'reference',
      dash: false,
      flow: false,
      hasColon: true,
      prefix: 'data/cu',
      range: { start: -7, end: 11 },
    });
    assert.deepEqual(formatAt('model: ch‸urn model\n', 'monitor')?.range, { start: -2, end: 3 });
    assert.deepEqual(formatAt('stage:‸ Production\n', 'monitor'), {
      path: [],
      at: 'value',
      key: 'stage',
      dash: false,
      flow: false,
      hasColon: true,
      prefix: '',
      range: { start: 0, end: 0 },
    });
    assert.deepEqual(formatAt('data_drift:\n  met‸hod: auto\n', 'monitor')?.range, { start: -3, end: 3 });
  });

  it('reads flow maps inside list items and flow lists', () => {
    assert.deepEqual(formatAt('feature_views:\n  - name: v\n    schema:\n      - { name: x, dtype: In‸ }\n'), {
      path: ['feature_views', '[]', 'schema', '[]'],
      at: 'value',
      key: 'dtype',
      dash: true,
      flow: true,
      hasColon: true,
      prefix: 'In',
      range: { start: -2, end: 0 },
    });
    const key = formatAt('feature_views:\n  - name: v\n    schema:\n      - { name: x, dt‸ }\n');
    assert.deepEqual([key?.path, key?.at, key?.flow, key?.prefix], [['feature_views', '[]', 'schema', '[]'], 'key', true, 'dt']);
    const item = formatAt('columns: [age, in‸come]\n', 'monitor');
    assert.deepEqual([item?.path, item?.at, item?.key, item?.flow, item?.range], [[], 'item', 'columns', true, { start: -2, end: 4 }]);
    assert.deepEqual(formatAt('on_drift:\n  params: { input_data: x, ‸ }\n', 'monitor')?.path, ['on_drift', 'params']);
  });

  it('is nowhere in comments and after a `#`', () => {
    assert.equal(formatAt('# a comment ‸\n'), undefined);
    assert.equal(formatAt('monitor: m # note‸\n', 'monitor'), undefined);
    assert.equal(formatAt('columns: [a, {‸\n', 'monitor')?.at, 'key');
  });
});

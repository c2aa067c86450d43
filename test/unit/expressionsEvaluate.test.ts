import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvaluationError, evaluateCondition, substitute, type Resolver } from '../../common/src/expressions';

const values: Record<string, string | number | boolean> = {
  'metrics.auc': 0.91,
  'metrics.acc': 0.7,
  'params.kind': 'rf',
  'params.n': '10',
  'params.quick': false,
};
const resolve: Resolver = (names) => {
  const value = values[names.join('.')];
  if (value === undefined) throw new EvaluationError(`${names.join('.')} is not set`);
  return value;
};

describe('expression evaluation', () => {
  it('evaluates conditions with precedence, grouping and negation', () => {
    assert.equal(evaluateCondition('${{ metrics.auc >= 0.9 && metrics.acc >= 0.8 }}', resolve), false);
    assert.equal(evaluateCondition('${{ metrics.auc >= 0.9 || metrics.acc >= 0.8 }}', resolve), true);
    assert.equal(evaluateCondition("${{ !(params.kind == 'logreg') && !params.quick }}", resolve), true);
    assert.equal(evaluateCondition('${{ params.n > 9 }}', resolve), true, 'a numeric string compares as a number');
    assert.equal(evaluateCondition('${{ params.kind != 1 }}', resolve), true, 'different types are unequal');
  });

  it('short-circuits, so the right side is not asked for when the left decides', () => {
    assert.equal(evaluateCondition('${{ params.quick && metrics.missing > 1 }}', resolve), false);
    assert.throws(() => evaluateCondition('${{ metrics.missing > 1 }}', resolve), /metrics\.missing is not set/);
  });

  it('substitutes every template, passing each value through the quoting function', () => {
    assert.equal(
      substitute('train --kind ${{ params.kind }} --n ${{params.n}}', resolve, (v) => `<${v}>`),
      'train --kind <rf> --n <10>',
    );
    assert.equal(substitute('no templates', resolve), 'no templates');
    assert.throws(() => substitute('bad ${{ params. }}', resolve), EvaluationError);
  });
});

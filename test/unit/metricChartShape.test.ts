import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartKind, FEW_POINTS, filterKeys, formatValue, pointRadius, summaryRows } from '../../webviews/src/metrics/chartShape';

describe('metric chart shape', () => {
  it('draws a bar per run when every run logged one value', () => {
    assert.equal(chartKind([1]), 'bar');
    assert.equal(chartKind([1, 1, 1]), 'bar');
    // A run without the metric does not turn the bars into a line.
    assert.equal(chartKind([1, 0, 1]), 'bar');
  });

  it('draws the points of short series and a plain line for long ones', () => {
    assert.equal(chartKind([1, 2]), 'points');
    assert.equal(chartKind([FEW_POINTS, 3]), 'points');
    assert.equal(chartKind([FEW_POINTS + 1, 1]), 'line');
    assert.equal(chartKind([]), 'line');
    assert.equal(chartKind([0, 0]), 'line');
  });

  it('gives a lone point of a long chart a visible radius', () => {
    assert.ok(pointRadius(1) > 0);
    assert.ok(pointRadius(FEW_POINTS) > 0);
    assert.equal(pointRadius(FEW_POINTS + 1), 0);
  });

  it('writes values with four significant digits, integers whole, huge and tiny ones with an exponent', () => {
    assert.equal(formatValue(0.843412345), '0.8434');
    assert.equal(formatValue(0.1 + 0.2), '0.3');
    assert.equal(formatValue(42), '42');
    assert.equal(formatValue(123.456), '123.5');
    assert.equal(formatValue(-0.5), '-0.5');
    assert.equal(formatValue(12_345_678.9), '1.235e+7');
    assert.equal(formatValue(2_000_000.5), '2e+6');
    assert.equal(formatValue(0.000123456), '1.235e-4');
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(Number.NaN), 'NaN');
    assert.equal(formatValue(Number.NEGATIVE_INFINITY), '-Infinity');
    assert.equal(formatValue('Infinity'), 'Infinity');
  });

  it('filters keys by every term of the filter, ignoring case', () => {
    const keys = ['train_loss', 'val_loss', 'val_accuracy', 'AUC'];
    assert.deepEqual(filterKeys(keys, ''), keys);
    assert.deepEqual(filterKeys(keys, '  '), keys);
    assert.deepEqual(filterKeys(keys, 'loss'), ['train_loss', 'val_loss']);
    assert.deepEqual(filterKeys(keys, 'VAL loss'), ['val_loss']);
    assert.deepEqual(filterKeys(keys, 'auc'), ['AUC']);
    assert.deepEqual(filterKeys(keys, 'nothing'), []);
  });

  it('summarises the latest value of each key per run, blank where a run logged none', () => {
    const rows = summaryRows(
      [
        { runId: 'a', latest: { auc: 0.91234, loss: 'NaN' } },
        { runId: 'b', latest: { loss: 0.25 } },
      ],
      ['auc', 'loss'],
    );
    assert.deepEqual(rows, [
      { runId: 'a', values: ['0.9123', 'NaN'] },
      { runId: 'b', values: ['', '0.25'] },
    ]);
  });
});

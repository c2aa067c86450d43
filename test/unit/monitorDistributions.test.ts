import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkDrift } from '../../client/src/core/drift';
import { prepareColumn } from '../../client/src/core/drift/columns';
import { readTable } from '../../client/src/core/drift/dataTable';
import { ks2samp } from '../../client/src/core/drift/ks';
import { checkMonitor } from '../../client/src/core/monitor';
import { ecdfGap, ecdfPoints } from '../../client/src/core/monitor/distributions';

const CHURN = path.resolve(__dirname, '../../samples/churn');

describe('the distributions a check stores for the report', () => {
  it("gives the drift core's figures, column for column, plus histograms and ECDFs", async () => {
    const { result } = await checkMonitor(path.join(CHURN, 'churn.monitor.yaml'));
    const core = await checkDrift({
      reference: 'data/churn.csv',
      current: ['data/incoming/*.csv'],
      cwd: CHURN,
      columns: ['total_purchases', 'avg_order_value', 'days_since_last_order', 'num_returns', 'plan'],
      ignore: ['customer_id', 'event_timestamp'],
      method: 'auto',
      threshold: 0.05,
      datasetDriftShare: 0.4,
    });
    assert.deepEqual(
      result.data!.columns.map(({ distribution: _d, ...c }) => c),
      core.report.columns.map((c) => JSON.parse(JSON.stringify(c)) as unknown),
    );
    assert.equal(result.data!.datasetDrift, core.report.datasetDrift);
    assert.equal(result.data!.share, core.report.share);
    for (const c of result.data!.columns) {
      const d = c.distribution!;
      assert.ok(d, c.column);
      if (d.kind === 'numeric') {
        assert.equal(d.edges.length, d.reference.length + 1);
        assert.equal(
          d.reference.reduce((a, b) => a + b, 0),
          c.reference.count,
        );
        assert.equal(
          d.current.reduce((a, b) => a + b, 0),
          c.current.count,
        );
        assert.ok(d.ecdf.reference.length <= 120 && d.ecdf.reference.at(-1)![1] === 1);
      } else {
        assert.deepEqual([...d.categories].sort(), ['basic', 'plus', 'pro']);
        assert.equal(
          d.current.reduce((a, b) => a + b, 0),
          c.current.count,
        );
      }
    }
  });

  it("marks the KS distance where scipy's ks_2samp finds it, ties included", async () => {
    const reference = await readTable(path.join(CHURN, 'data/churn.csv'));
    const current = await readTable(path.join(CHURN, 'data/incoming/batch-001.csv'));
    for (const name of ['avg_order_value', 'num_returns', 'total_purchases']) {
      const prepared = prepareColumn(reference.columns.get(name)!, current.columns.get(name)!);
      assert.equal(prepared.kind, 'numeric');
      const a = prepared.reference as Float64Array;
      const b = prepared.current as Float64Array;
      const gap = ecdfGap(a, b);
      const ks = ks2samp(a, b, true);
      assert.ok(Math.abs(gap.distance - ks.statistic) < 1e-12, name);
      assert.equal(gap.location, ks.location, name);
      assert.ok(Math.abs(Math.abs(gap.reference - gap.current) - ks.statistic) < 1e-12);
    }
  });

  it('steps ECDF points past ties and keeps the last point', () => {
    assert.deepEqual(ecdfPoints(new Float64Array([1, 1, 2, 3]), 3), [
      [1, 0.5],
      [2, 0.75],
      [3, 1],
    ]);
    assert.deepEqual(ecdfPoints(new Float64Array([5]), 10), [[5, 1]]);
  });
});

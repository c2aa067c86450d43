import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mlops, ROOT, startServe } from '../helpers/cli';

describe('mlops monitor (the built bin) on a copy of samples/churn', () => {
  let scratch: string;
  let ws: string;

  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-cli-monitor-'));
    ws = path.join(scratch, 'churn');
    cpSync(path.join(ROOT, 'samples/churn'), ws, { recursive: true, filter: (src) => !/[\\/](\.mlops|reports)$/.test(src) });
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints the table and the verdict, exits 1 on drift, and records the check in the workspace store', () => {
    const r = mlops(['monitor', 'churn.monitor.yaml'], ws);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Monitor churn-monitor {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/);
    assert.match(r.stdout, /Reference: data\/churn\.csv \(2000 rows\) {2}Current: data\/incoming\/batch-001\.csv \(500 rows\)/);
    assert.match(r.stdout, /^avg_order_value\s+wasserstein\s+0\.8102\s+d=0\.8102\s+>= 0\.1\s+DRIFT$/m);
    assert.match(r.stdout, /^days_since_last_order\s+wasserstein\s+0\.7276\s+d=0\.7276\s+>= 0\.1\s+DRIFT$/m);
    assert.match(r.stdout, /^plan\s+jensen_shannon\s.*\sok$/m);
    assert.match(r.stdout, /Dataset drift: 2 of 5 columns drifted \(share 0\.40, dataset drift at >= 0\.4\)\./);
    assert.match(r.stdout, /Performance not compared: no live metrics yet: reports\/live_metrics\.json not found\./);
    assert.match(r.stdout, /Verdict: DRIFT/);
    assert.match(r.stdout, /On drift: run churn\.pipeline\.yaml with input_data=data\/labels-batch-001\.csv\n$/);
    assert.ok(existsSync(path.join(ws, '.mlops/tracking.db')));
  });

  it('writes JSON with --json, keeps a history per monitor, and takes --workspace', () => {
    const r = mlops(['monitor', path.join(ws, 'churn.monitor.yaml'), '--json', '--workspace', ws], scratch);
    assert.equal(r.code, 1, r.stderr);
    const result = JSON.parse(r.stdout) as {
      status: string;
      recorded: boolean;
      monitor: string;
      data: { columns: { column: string; drift: boolean }[] };
      onDrift: { pipeline: string };
    };
    assert.equal(result.status, 'drift');
    assert.equal(result.recorded, true);
    assert.equal(result.monitor, 'churn-monitor');
    assert.deepEqual(
      result.data.columns.filter((c) => c.drift).map((c) => c.column),
      ['avg_order_value', 'days_since_last_order'],
    );
    assert.equal(result.onDrift.pipeline, path.join(ws, 'churn.pipeline.yaml'));
    assert.ok(!existsSync(path.join(scratch, '.mlops')), 'the store of --workspace, not of the cwd');
  });

  it('exits 0 without drift', () => {
    writeFileSync(
      path.join(ws, 'steady.monitor.yaml'),
      'monitor: steady\nreference: data/churn.csv\ncurrent: data/churn.csv\nignore: [customer_id, event_timestamp]\n',
    );
    const r = mlops(['monitor', 'steady.monitor.yaml'], ws);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No dataset drift: 0 of 6 columns drifted/);
    assert.match(r.stdout, /Verdict: OK/);
  });

  it('skips performance, with the reason, when there is no baseline (exit 0)', () => {
    writeFileSync(path.join(ws, 'live.json'), JSON.stringify({ accuracy: 0.7 }));
    writeFileSync(
      path.join(ws, 'perf.monitor.yaml'),
      'monitor: perf\nreference: data/churn.csv\ncurrent: data/churn.csv\ncolumns: [plan]\nperformance:\n  metrics: [accuracy]\n  alert_threshold: 0.05\n  current_metrics: live.json\n',
    );
    const skipped = mlops(['monitor', 'perf.monitor.yaml'], ws);
    assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
    assert.match(skipped.stdout, /Performance not compared: no `model` \(or `performance.baseline_run`\) to take baseline metrics from\./);
  });

  it('exits 2 on missing data files and bad usage, 1 on a monitor file with errors', () => {
    writeFileSync(path.join(ws, 'gone.monitor.yaml'), 'monitor: gone\nreference: data/churn.csv\ncurrent: data/nothing/*.csv\n');
    const gone = mlops(['monitor', 'gone.monitor.yaml'], ws);
    assert.equal(gone.code, 2, gone.stdout + gone.stderr);
    assert.match(gone.stderr, /data\/nothing\/\*\.csv/);
    assert.match(gone.stdout, /Not checked: /);

    const none = mlops(['monitor', 'nope.monitor.yaml'], ws);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no such file: nope\.monitor\.yaml/);
    assert.equal(mlops(['monitor'], ws).code, 2);
    const notMonitor = mlops(['monitor', 'churn.pipeline.yaml'], ws);
    assert.equal(notMonitor.code, 2);
    assert.match(notMonitor.stderr, /not a monitor file/);

    writeFileSync(
      path.join(ws, 'bad.monitor.yaml'),
      'monitor: bad\nreference: data/churn.csv\ncurrent: data/churn.csv\ndata_drift:\n  method: kss\n',
    );
    const bad = mlops(['monitor', 'bad.monitor.yaml'], ws);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(
      bad.stderr,
      /bad\.monitor\.yaml has 1 error, so it was not checked:\n {2}.*bad\.monitor\.yaml:5:11 unknown-method unknown drift method `kss`/,
    );
  });

  it('records the check through the endpoint of the process that holds the store', async () => {
    const held = path.join(scratch, 'held');
    cpSync(ws, held, { recursive: true, filter: (src) => !/[\\/]\.mlops$/.test(src) });
    const serving = await startServe(held);
    try {
      const r = mlops(['monitor', 'churn.monitor.yaml'], held);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.doesNotMatch(r.stderr, /not recorded/);
      const listed = await fetch(`${serving.url}/api/2.0/mlops/monitors/list?monitor=churn-monitor`, {
        headers: { Authorization: `Bearer ${serving.token}` },
      });
      assert.equal(listed.status, 200);
      const { results } = (await listed.json()) as { results: { status: string }[] };
      assert.deepEqual(
        results.map((x) => x.status),
        ['drift'],
      );
    } finally {
      serving.process.kill('SIGTERM');
      await new Promise((resolve) => serving.process.once('exit', resolve));
    }
  });

  it('still prints the result when the store cannot be opened', () => {
    const blocked = path.join(scratch, 'blocked');
    cpSync(ws, blocked, { recursive: true, filter: (src) => !/[\\/]\.mlops$/.test(src) });
    writeFileSync(path.join(blocked, '.mlops'), 'a file where the store folder should be');
    const r = mlops(['monitor', 'churn.monitor.yaml'], blocked);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Verdict: DRIFT/);
    assert.match(r.stderr, /the result was not recorded in the tracking store: /);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MlflowError } from '../../client/src/core/tracking/repository';
import { likeToGlob } from '../../client/src/core/tracking/search/compile';
import { parseFilter, parseOrderBy } from '../../client/src/core/tracking/search/parser';
import { compileRunQuery } from '../../client/src/core/tracking/search/runs';
import { memoryRepository } from '../helpers/restStore';

function refused(filter: string, message: RegExp): void {
  assert.throws(
    () => parseFilter(filter),
    (e: unknown) => e instanceof MlflowError && e.errorCode === 'INVALID_PARAMETER_VALUE' && message.test(e.message),
    filter,
  );
}

describe('tracking search: filter parser', () => {
  it('parses comparisons on every entity, with aliases, quoting and AND', () => {
    const parsed = parseFilter(
      "metrics.auc > 0.9 and params.n_estimators = '100' AND tags.\"mlflow.runName\" LIKE 'xgb%' and attribute.status != \"FAILED\" and tags.mlflow.source.type = 'LOCAL'",
    );
    assert.deepEqual(
      parsed.map((c) => [c.ident.kind, c.ident.key, c.op, c.value]),
      [
        ['metric', 'auc', '>', 0.9],
        ['param', 'n_estimators', '=', '100'],
        ['tag', 'mlflow.runName', 'LIKE', 'xgb%'],
        ['attribute', 'status', '!=', 'FAILED'],
        ['tag', 'mlflow.source.type', '=', 'LOCAL'],
      ],
    );
    assert.deepEqual(parseFilter('metrics.`val loss` <= -1.5e-3')[0]?.ident, { kind: 'metric', key: 'val loss', explicit: true });
    assert.deepEqual(parseFilter('metrics.`val loss` <= -1.5e-3')[0]?.value, -1.5e-3);
    assert.deepEqual(parseFilter("attributes.run_id IN ('a', 'b')")[0]?.value, ['a', 'b']);
    assert.equal(parseFilter("run_id NOT IN ('a')")[0]?.op, 'NOT IN');
    assert.equal(parseFilter('tags.x IS NOT NULL')[0]?.op, 'IS NOT NULL');
    assert.equal(parseFilter("params.p ILIKE '%A%'")[0]?.op, 'ILIKE');
    assert.equal(parseFilter("params.p = 'it''s'")[0]?.value, "it's");
    assert.deepEqual(parseFilter('  '), []);
  });

  it('refuses malformed filters with a message that says what and where', () => {
    refused('metrics.auc >', /expected a value/);
    refused("params.n = 100 or params.m = '1'", /OR is not supported/);
    refused("params.n = '1' params.m = '2'", /expected AND between conditions/);
    refused('metrics.auc ~ 1', /unexpected character '~' at position 13/);
    refused("params.n = 'open", /unterminated string/);
    refused('foo.bar = 1', /unknown entity type 'foo'/);
    refused('params.n = abc', /string values need quotes/);
    refused("attributes.run_id IN 'a'", /expected '\(' after IN/);
    refused("params.n = '1' AND", /expected a condition after AND/);
    refused('metrics.auc', /expected a comparison operator/);
  });

  it('parses order_by clauses', () => {
    assert.deepEqual(parseOrderBy('metrics.auc DESC'), {
      ident: { kind: 'metric', key: 'auc', explicit: true },
      ascending: false,
      text: 'metrics.auc DESC',
    });
    assert.equal(parseOrderBy('attributes.start_time').ascending, true);
    assert.throws(() => parseOrderBy('metrics.auc SIDEWAYS'), /expected ASC or DESC/);
  });

  it('compiles to parameterised SQL: user text never enters the statement', () => {
    const evil = "x'); DROP TABLE runs; --";
    const q = compileRunQuery({
      experimentIds: [1],
      filter: `params.\`${evil}\` = '${evil.replace(/'/g, "''")}'`,
      orderBy: [`tags.\`${evil}\` DESC`],
      viewType: 'ACTIVE_ONLY',
      artifactRootUri: 'file:///r',
      limit: 10,
      offset: 0,
    });
    assert.ok(!q.sql.includes('DROP'), q.sql);
    assert.equal(q.params.filter((p) => p === evil).length, 3);
  });

  it('checks operators and value types per field', () => {
    const compile = (filter: string) => () =>
      compileRunQuery({ experimentIds: [1], filter, viewType: 'ALL', artifactRootUri: 'file:///r', limit: 1, offset: 0 });
    assert.throws(compile("metrics.auc = 'high'"), /compares with a number/);
    assert.throws(compile('params.n = 5'), /compares with a quoted string/);
    assert.throws(compile("metrics.auc LIKE '1%'"), /'LIKE' is not supported for metrics.auc/);
    assert.throws(compile("attributes.colour = 'red'"), /unknown attribute 'colour'/);
    assert.throws(compile("attributes.start_time > 'yesterday'"), /compares with a number/);
  });

  it('turns LIKE patterns into case-sensitive GLOB patterns', () => {
    assert.equal(likeToGlob('a%b_c*d?[e'), 'a*b?c[*]d[?][[]e');
  });
});

describe('tracking search: runs through the repository', () => {
  async function fixture() {
    let t = 0;
    const { repo } = await memoryRepository({ now: () => ++t });
    const experiment_id = repo.createExperiment({ name: 'e' }).experiment_id;
    const ids: Record<string, string> = {};
    const runs: [string, number | 'NaN' | undefined, string][] = [
      ['xgb-a', 0.95, '100'],
      ['xgb-b', 0.85, '200'],
      ['lr', 0.91, '100'],
      ['nan', 'NaN', '100'],
      ['none', undefined, '50'],
    ];
    runs.forEach(([name, auc, n], i) => {
      const runId = repo.createRun({ experiment_id, run_name: name, start_time: 100 + i }).run.info.run_id;
      ids[name] = runId;
      repo.logBatch({
        run_id: runId,
        params: [{ key: 'n_estimators', value: n }],
        metrics: auc === undefined ? [] : [{ key: 'auc', value: auc, timestamp: 1 }],
      });
    });
    repo.updateRun({ run_id: ids['lr']!, status: 'FINISHED' });
    const names = (req: { filter?: string; order_by?: string[]; max_results?: number; page_token?: string }) =>
      repo.searchRuns({ experiment_ids: [experiment_id], ...req }).runs.map((r) => r.info.run_name);
    return { repo, experiment_id, ids, names };
  }

  it('filters on metrics, params, tags and attributes', async () => {
    const { names, ids } = await fixture();
    assert.deepEqual(names({ filter: "metrics.auc > 0.9 and params.n_estimators = '100'" }), ['lr', 'xgb-a']);
    assert.deepEqual(names({ filter: "attributes.run_name LIKE 'xgb%'" }), ['xgb-b', 'xgb-a']);
    assert.deepEqual(names({ filter: "attributes.run_name LIKE 'XGB%'" }), [], 'LIKE is case-sensitive');
    assert.deepEqual(names({ filter: "attributes.run_name ILIKE 'XGB%'" }), ['xgb-b', 'xgb-a']);
    assert.deepEqual(names({ filter: "attributes.status = 'FINISHED'" }), ['lr']);
    assert.deepEqual(names({ filter: `attributes.run_id IN ('${ids['lr']}', '${ids['none']}')` }), ['none', 'lr']);
    assert.deepEqual(names({ filter: "tags.mlflow.runName = 'nan'" }), ['nan']);
    assert.deepEqual(names({ filter: 'attributes.start_time >= 103' }), ['none', 'nan']);
    assert.deepEqual(names({ filter: 'metrics.auc IS NULL' }), ['none']);
  });

  it('orders by metrics with NaN and missing values last, and pages', async () => {
    const { names } = await fixture();
    assert.deepEqual(names({ order_by: ['metrics.auc DESC'] }), ['xgb-a', 'lr', 'xgb-b', 'nan', 'none']);
    assert.deepEqual(names({ order_by: ['metrics.auc ASC'] }), ['xgb-b', 'lr', 'xgb-a', 'nan', 'none']);
    assert.deepEqual(names({ order_by: ['params.n_estimators DESC', 'attributes.run_name'] }), ['none', 'xgb-b', 'lr', 'nan', 'xgb-a']);
    assert.deepEqual(names({}), ['none', 'nan', 'lr', 'xgb-b', 'xgb-a'], 'default: newest first');
    const { repo, experiment_id } = await fixture();
    const first = repo.searchRuns({ experiment_ids: [experiment_id], max_results: 2 });
    const second = repo.searchRuns({ experiment_ids: [experiment_id], max_results: 2, page_token: first.next_page_token });
    const third = repo.searchRuns({ experiment_ids: [experiment_id], max_results: 2, page_token: second.next_page_token });
    assert.deepEqual(
      [first, second, third].map((p) => p.runs.length),
      [2, 2, 1],
    );
    assert.equal(third.next_page_token, undefined);
  });
});

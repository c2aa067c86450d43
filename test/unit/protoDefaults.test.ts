import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrackingApi } from '../../client/src/core/tracking/repository';
import { withEmptyLists } from '../../client/src/core/tracking/rest/protoDefaults';
import { versionsOf } from '../../client/src/core/views/registryRows';

// Answers as MLflow 2.12.2's server wrote them (test/fixtures/mlflow-2.12.2): protobuf JSON leaves
// out every empty repeated field.
describe("MLflow's left-out empty lists (protoDefaults)", () => {
  it('a search that finds nothing answers {}: the list is put back', () => {
    assert.deepEqual(withEmptyLists('searchRuns', {}), { runs: [] });
    assert.deepEqual(withEmptyLists('searchModelVersions', {}), { model_versions: [] });
    assert.deepEqual(withEmptyLists('getMetricHistory', {}), { metrics: [] });
    assert.deepEqual(withEmptyLists('getRun', {}), {});
  });

  it('a new run has no data lists and no inputs; a run in a search has the same', () => {
    const info = { run_id: 'r', status: 'RUNNING' };
    assert.deepEqual(withEmptyLists('createRun', { run: { info, data: {} } }), {
      run: { info, data: { metrics: [], params: [], tags: [] }, inputs: { dataset_inputs: [] } },
    });
    const found = withEmptyLists('searchRuns', {
      runs: [{ info, data: { tags: [{ key: 'a', value: 'b' }] }, inputs: { dataset_inputs: [{ dataset: { name: 'd' } }] } }],
      next_page_token: 't',
    }) as { runs: { data: Record<string, unknown>; inputs: { dataset_inputs: { tags: unknown[] }[] } }[]; next_page_token: string };
    assert.deepEqual(found.runs[0]!.data, { tags: [{ key: 'a', value: 'b' }], metrics: [], params: [] });
    assert.deepEqual(found.runs[0]!.inputs.dataset_inputs[0]!.tags, []);
    assert.equal(found.next_page_token, 't');
  });

  it('registered models and versions get their tags, aliases and latest versions', () => {
    const answer = withEmptyLists('searchRegisteredModels', {
      registered_models: [{ name: 'm', latest_versions: [{ name: 'm', version: '1' }] }],
    }) as { registered_models: Record<string, unknown>[] };
    assert.deepEqual(answer.registered_models[0], {
      name: 'm',
      tags: [],
      aliases: [],
      latest_versions: [{ name: 'm', version: '1', tags: [], aliases: [] }],
    });
    assert.deepEqual(withEmptyLists('getModelVersion', { model_version: { version: '2' } }), {
      model_version: { version: '2', tags: [], aliases: [] },
    });
    assert.deepEqual(withEmptyLists('getExperiment', { experiment: { name: 'e' } }), { experiment: { name: 'e', tags: [] } });
  });

  it("a version's aliases come from its registered model when the server's version search leaves them out", async () => {
    const api = {
      searchModelVersions: async () => ({
        model_versions: [
          { name: 'm', version: '1', current_stage: 'Archived', aliases: [], creation_timestamp: 1, source: 's' },
          { name: 'm', version: '2', current_stage: 'Production', aliases: [], creation_timestamp: 2, source: 's' },
        ],
      }),
      getRegisteredModel: async () => ({
        registered_model: { name: 'm', aliases: [{ alias: 'champion', version: '1' }], tags: [], latest_versions: [] },
      }),
    } as unknown as TrackingApi;
    const rows = await versionsOf(api, 'm');
    assert.deepEqual(
      rows.map((r) => [r.version, r.aliases]),
      [
        ['2', []],
        ['1', ['champion']],
      ],
    );
  });
});

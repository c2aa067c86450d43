import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MlflowError } from '../../client/src/core/tracking/repository';
import { memoryRepository } from '../helpers/restStore';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return e instanceof MlflowError ? e.errorCode : String(e);
  }
  return 'no error';
};

async function registry() {
  let t = 0;
  const { repo } = await memoryRepository({ now: () => ++t });
  repo.createRegisteredModel({ name: 'customer_churn', tags: [{ key: 'team', value: 'ds' }] });
  for (const source of ['file:///a/1', 'file:///a/2', 'file:///a/3']) repo.createModelVersion({ name: 'customer_churn', source });
  return repo;
}

describe('tracking repository: model registry', () => {
  it('numbers versions from 1, READY at once, and never reuses a deleted number', async () => {
    const repo = await registry();
    const v = repo.getModelVersion({ name: 'customer_churn', version: '3' }).model_version;
    assert.deepEqual([v.version, v.status, v.current_stage], ['3', 'READY', 'None']);
    repo.deleteModelVersion({ name: 'customer_churn', version: '3' });
    assert.equal(
      code(() => repo.getModelVersion({ name: 'customer_churn', version: '3' })),
      'RESOURCE_DOES_NOT_EXIST',
    );
    assert.equal(repo.createModelVersion({ name: 'customer_churn', source: 'file:///a/4' }).model_version.version, '4');
    assert.equal(
      code(() => repo.createRegisteredModel({ name: 'customer_churn' })),
      'RESOURCE_ALREADY_EXISTS',
    );
    assert.equal(
      code(() => repo.createModelVersion({ name: 'nope', source: 's' })),
      'RESOURCE_DOES_NOT_EXIST',
    );
    assert.equal(
      code(() => repo.getModelVersion({ name: 'customer_churn', version: 'one' })),
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('transitions stages case-insensitively and archives the others when asked', async () => {
    const repo = await registry();
    repo.transitionModelVersionStage({ name: 'customer_churn', version: '1', stage: 'production', archive_existing_versions: false });
    repo.transitionModelVersionStage({ name: 'customer_churn', version: '2', stage: 'Production', archive_existing_versions: false });
    const both = repo.getLatestVersions({ name: 'customer_churn', stages: ['PRODUCTION'] }).model_versions;
    assert.deepEqual(
      both.map((v) => v.version),
      ['2'],
      'latest per stage is the highest version',
    );
    repo.transitionModelVersionStage({ name: 'customer_churn', version: '3', stage: 'Production', archive_existing_versions: true });
    const stages = repo
      .searchModelVersions({ filter: "name = 'customer_churn'", order_by: ['version_number ASC'] })
      .model_versions.map((v) => v.current_stage);
    assert.deepEqual(stages, ['Archived', 'Archived', 'Production']);
    assert.equal(
      code(() =>
        repo.transitionModelVersionStage({ name: 'customer_churn', version: '1', stage: 'Prod', archive_existing_versions: false }),
      ),
      'INVALID_PARAMETER_VALUE',
    );
    assert.equal(
      code(() =>
        repo.transitionModelVersionStage({ name: 'customer_churn', version: '1', stage: 'Archived', archive_existing_versions: true }),
      ),
      'INVALID_PARAMETER_VALUE',
    );
    const model = repo.getRegisteredModel({ name: 'customer_churn' }).registered_model;
    assert.deepEqual(
      model.latest_versions.map((v) => [v.current_stage, v.version]),
      [
        ['Archived', '2'],
        ['Production', '3'],
      ],
    );
  });

  it('sets, reads and deletes aliases, refusing reserved names', async () => {
    const repo = await registry();
    repo.setRegisteredModelAlias({ name: 'customer_churn', alias: 'champion', version: '2' });
    assert.equal(repo.getModelVersionByAlias({ name: 'customer_churn', alias: 'champion' }).model_version.version, '2');
    assert.deepEqual(repo.getModelVersion({ name: 'customer_churn', version: '2' }).model_version.aliases, ['champion']);
    assert.deepEqual(repo.getRegisteredModel({ name: 'customer_churn' }).registered_model.aliases, [{ alias: 'champion', version: '2' }]);
    repo.setRegisteredModelAlias({ name: 'customer_churn', alias: 'champion', version: '3' });
    assert.equal(repo.getModelVersionByAlias({ name: 'customer_churn', alias: 'champion' }).model_version.version, '3');
    for (const alias of ['latest', 'v1', 'bad alias'])
      assert.equal(
        code(() => repo.setRegisteredModelAlias({ name: 'customer_churn', alias, version: '1' })),
        'INVALID_PARAMETER_VALUE',
        alias,
      );
    assert.equal(
      code(() => repo.setRegisteredModelAlias({ name: 'customer_churn', alias: 'x', version: '9' })),
      'RESOURCE_DOES_NOT_EXIST',
    );
    repo.deleteRegisteredModelAlias({ name: 'customer_churn', alias: 'champion' });
    assert.equal(
      code(() => repo.getModelVersionByAlias({ name: 'customer_churn', alias: 'champion' })),
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('renames, tags, searches and deletes registered models', async () => {
    const repo = await registry();
    repo.createRegisteredModel({ name: 'fraud' });
    repo.setModelVersionTag({ name: 'customer_churn', version: '1', key: 'validated', value: 'yes' });
    repo.renameRegisteredModel({ name: 'customer_churn', new_name: 'churn' });
    assert.equal(
      code(() => repo.getRegisteredModel({ name: 'customer_churn' })),
      'RESOURCE_DOES_NOT_EXIST',
    );
    assert.deepEqual(repo.getModelVersion({ name: 'churn', version: '1' }).model_version.tags, [{ key: 'validated', value: 'yes' }]);
    assert.deepEqual(
      repo.searchRegisteredModels({ filter: "tags.team = 'ds'" }).registered_models.map((m) => m.name),
      ['churn'],
    );
    assert.deepEqual(
      repo.searchRegisteredModels({ filter: "name ILIKE 'FR%'" }).registered_models.map((m) => m.name),
      ['fraud'],
    );
    const page = repo.searchRegisteredModels({ max_results: 1 });
    assert.equal(page.registered_models[0]?.name, 'churn');
    assert.equal(repo.searchRegisteredModels({ max_results: 1, page_token: page.next_page_token }).registered_models[0]?.name, 'fraud');
    assert.equal(
      code(() => repo.searchRegisteredModels({ max_results: 1001 })),
      'INVALID_PARAMETER_VALUE',
    );
    repo.updateRegisteredModel({ name: 'churn', description: 'predicts churn' });
    assert.equal(repo.getRegisteredModel({ name: 'churn' }).registered_model.description, 'predicts churn');
    repo.deleteRegisteredModel({ name: 'churn' });
    assert.equal(repo.searchModelVersions({ filter: "name = 'churn'" }).model_versions.length, 0);
    repo.createRegisteredModel({ name: 'churn' });
    assert.equal(
      repo.createModelVersion({ name: 'churn', source: 's' }).model_version.version,
      '1',
      'a re-created model starts again at 1',
    );
  });

  it('gives the download URI of a version: its source', async () => {
    const repo = await registry();
    assert.deepEqual(repo.getModelVersionDownloadUri({ name: 'customer_churn', version: '2' }), { artifact_uri: 'file:///a/2' });
  });
});

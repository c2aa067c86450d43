import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindOfLanguageId, kindOfPath } from '../../common/src';
import { pipelineNameProblem } from '../../common/src/pipeline/names';
import { featuresTemplate, monitorTemplate, pipelineTemplate } from '../../client/src/core/pipelineTemplate';
import { diagnose } from '../helpers/documents';

describe('document kinds', () => {
  it('recognises files by name only', () => {
    assert.equal(kindOfPath('/w/churn.pipeline.yaml'), 'pipeline');
    assert.equal(kindOfPath('C:\\w\\churn.Pipeline.YML'), 'pipeline');
    assert.equal(kindOfPath('file:///w/customer.features.yml'), 'features');
    assert.equal(kindOfPath('file:///w/churn.monitor.yaml?x=1'), 'monitor');
    assert.equal(kindOfPath('/w/pipeline.yaml'), undefined);
    assert.equal(kindOfPath('/w/churn.pipeline.yaml.bak'), undefined);
    assert.equal(kindOfPath('/w/docker-compose.yaml'), undefined);
    assert.equal(kindOfLanguageId('mlops-monitor'), 'monitor');
    assert.equal(kindOfLanguageId('yaml'), undefined);
  });
});

describe('new pipeline files', () => {
  it('accept docs/formats.md names and explain a wrong one', () => {
    assert.equal(pipelineNameProblem('customer-churn'), undefined);
    assert.equal(pipelineNameProblem('a'.repeat(128)), undefined);
    assert.match(pipelineNameProblem('Churn') ?? '', /lower-case/);
    assert.match(pipelineNameProblem('-x') ?? '', /starting with/);
    assert.match(pipelineNameProblem('') ?? '', /required/);
    assert.match(pipelineNameProblem('a'.repeat(129)) ?? '', /128/);
  });

  it('start from a template that validates clean', () => {
    assert.deepEqual(diagnose(pipelineTemplate('demo-pipeline')), []);
    assert.deepEqual(
      diagnose(featuresTemplate('demo-features'), 'features').filter((d) => d.code !== 'missing-file'),
      [],
      'only the data file is missing',
    );
    assert.deepEqual(
      diagnose(monitorTemplate('demo-monitor'), 'monitor').filter((d) => d.code !== 'missing-file'),
      [],
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationSettingsNotification } from '../../common/src/protocol/lspMessages';
import { LspServer } from '../helpers/lspServer';

// `missing-image` from the real server: off by default, on with mlops.export.warnMissingImage (in the
// initialization options, or changed later by the client's notification), never when the pipeline
// has a top-level image.

const URI = 'file:///w/images.pipeline.yaml';
const TEXT = [
  'pipeline: images',
  'steps:',
  '  fetch:',
  '    run: echo fetch',
  '  train:',
  '    run: echo train',
  '    image: python:3.12',
  '',
].join('\n');
const codes = (p: { diagnostics: { code?: unknown }[] }) => p.diagnostics.map((d) => String(d.code));

describe('missing-image, behind mlops.export.warnMissingImage, from the real server', () => {
  let off: LspServer;
  let on: LspServer;
  before(async () => {
    [off, on] = await Promise.all([LspServer.start(), LspServer.start({ validationDelayMs: 20, warnMissingImage: true })]);
  });
  after(async () => Promise.all([off.stop(), on.stop()]));

  it('says nothing by default, and warns of each step without an image when the setting is on', async () => {
    await off.open(URI, 'mlops-pipeline', TEXT);
    assert.deepEqual(codes(await off.diagnostics(URI)), []);
    await on.open(URI, 'mlops-pipeline', TEXT);
    const published = await on.diagnostics(URI);
    const warnings = published.diagnostics.filter((d) => d.code === 'missing-image');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.severity, 2);
    assert.deepEqual(warnings[0]!.range.start, { line: 2, character: 2 }, 'on the step key `fetch`');
    assert.match(String(warnings[0]!.message), /step `fetch` has no `image`, which a Kubeflow or Argo export needs/);
  });

  it('follows the setting when the client says it changed, and a top-level image quiets it', async () => {
    const before = off.published.length;
    await off.connection.sendNotification(ValidationSettingsNotification, { warnMissingImage: true });
    const turned = await off.diagnostics(URI, (p) => codes(p).includes('missing-image'), 5000, before);
    assert.deepEqual(codes(turned), ['missing-image']);
    await off.replace(URI, 2, `image: busybox\n${TEXT}`);
    assert.deepEqual(codes(await off.diagnostics(URI, (p) => p.version === 2)), []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorMessage, errorStack } from '../../common/src/errors';
import { readSetting, Settings, settingKeys, type SettingsReader } from '../../common/src/settings';

/** A configuration holding what the user set; unset keys give package.json's default, as VS Code's does. */
function reader(userSet: Record<string, unknown>): SettingsReader {
  const defaults = new Map<string, unknown>(Object.values(Settings).flatMap((s) => settingKeys(s).map((k) => [k, s.default] as const)));
  return {
    get: (key) => (key in userSet ? userSet[key] : defaults.get(key)),
    isSet: (key) => key in userSet,
  };
}

describe('settings', () => {
  it('reads a setting, else its default', () => {
    assert.equal(readSetting(Settings.validationDelayMs, reader({})), 150);
    assert.equal(readSetting(Settings.validationDelayMs, reader({ 'mlops.validation.delayMs': 400 })), 400);
    assert.equal(readSetting(Settings.trackingStartOnOpen, reader({})), true);
    assert.equal(readSetting(Settings.trackingStartOnOpen, reader({ 'mlops.tracking.startOnOpen': false })), false);
  });

  it('reads mlops.run.maxParallelSteps, falling back to mlops.maxParallelSteps only when the user set that and not the new key', () => {
    const setting = Settings.runMaxParallelSteps;
    assert.equal(setting.key, 'mlops.run.maxParallelSteps');
    assert.deepEqual(settingKeys(setting), ['mlops.run.maxParallelSteps', 'mlops.maxParallelSteps']);
    assert.equal(readSetting(setting, reader({})), 0);
    assert.equal(readSetting(setting, reader({ 'mlops.maxParallelSteps': 3 })), 3);
    assert.equal(readSetting(setting, reader({ 'mlops.run.maxParallelSteps': 2 })), 2);
    assert.equal(readSetting(setting, reader({ 'mlops.run.maxParallelSteps': 2, 'mlops.maxParallelSteps': 3 })), 2);
    // Set to the default explicitly under the new key: the new key still wins.
    assert.equal(readSetting(setting, reader({ 'mlops.run.maxParallelSteps': 0, 'mlops.maxParallelSteps': 3 })), 0);
  });

  it('takes a value of the wrong type as the default', () => {
    assert.equal(readSetting(Settings.validationDelayMs, reader({ 'mlops.validation.delayMs': '400' })), 150);
    assert.equal(readSetting(Settings.runShowMetrics, reader({ 'mlops.run.showMetrics': 'yes' })), false);
    assert.equal(readSetting(Settings.runMaxParallelSteps, reader({ 'mlops.maxParallelSteps': null })), 0);
  });

  it('names every key mlops.<area>.<name>, each once', () => {
    const keys = Object.values(Settings).map((s) => s.key);
    assert.equal(new Set(keys).size, keys.length);
    for (const key of keys) assert.match(key, /^mlops\.(run|tracking|monitor|validation|export)\.[A-Za-z]+$/);
  });
});

describe('errorMessage and errorStack', () => {
  it("give an Error's message (or stack) and anything else as a string", () => {
    const error = new Error('boom');
    assert.equal(errorMessage(error), 'boom');
    assert.equal(errorMessage('plain'), 'plain');
    assert.equal(errorMessage(42), '42');
    assert.equal(errorMessage(undefined), 'undefined');
    assert.match(errorStack(error), /^Error: boom\n\s+at /);
    const noStack = new Error('bare');
    noStack.stack = undefined;
    assert.equal(errorStack(noStack), 'bare');
    assert.equal(errorStack({ toString: () => 'odd' }), 'odd');
  });
});

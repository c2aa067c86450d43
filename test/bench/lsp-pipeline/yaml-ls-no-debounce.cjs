// Starts yaml-language-server with its fixed 200 ms validation debounce set to 0 ms.
// Only for the benchmark's cross-check of "raw minus 200 ms": the version has no setting for
// it (SettingsState sets `validationDelayMs = 200` in its constructor), so this subclasses it
// before the server module creates its one instance. Usage: node yaml-ls-no-debounce.cjs --stdio
'use strict';
const settings = require('yaml-language-server/out/server/src/yamlSettings.js');
const Original = settings.SettingsState;
settings.SettingsState = class extends Original {
  constructor() {
    super();
    this.validationDelayMs = 0;
  }
};
process.env.YAML_LANGUAGE_SERVER_VERSION = require('yaml-language-server/package.json').version;
require('yaml-language-server/out/server/src/server.js');

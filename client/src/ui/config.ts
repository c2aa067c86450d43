import * as vscode from 'vscode';
import { readSetting, settingKeys, type Setting } from '../../../common/src/settings';

/** The value of a setting (`Settings.x` of common/src/settings.ts) in this window, a former key's when only that is set. */
export function setting<T extends number | boolean | string>(which: Setting<T>): T {
  const config = vscode.workspace.getConfiguration();
  return readSetting(which, {
    get: (key) => config.get(key),
    isSet: (key) => {
      const set = config.inspect(key);
      return set !== undefined && (set.globalValue ?? set.workspaceValue ?? set.workspaceFolderValue) !== undefined;
    },
  });
}

/** Whether a configuration change touches the setting (under its key or a former one). */
export function affectsSetting(event: vscode.ConfigurationChangeEvent, which: Setting<number | boolean | string>): boolean {
  return settingKeys(which).some((key) => event.affectsConfiguration(key));
}

/**
 * Every setting of package.json `contributes.configuration`: its key and its default, in one place
 * (test/unit/manifest.test.ts checks both against package.json). No vscode here: the extension reads
 * a setting through `client/src/ui/config.ts`, the language server gets `validationDelayMs` in its
 * initialization options.
 *
 * Keys are grouped by area: `mlops.run.*`, `mlops.tracking.*`, `mlops.monitor.*`, `mlops.validation.*`, `mlops.export.*`.
 */

export interface Setting<T extends number | boolean | string> {
  /** The full key, `mlops.<area>.<name>`. */
  readonly key: string;
  readonly type: T extends number ? 'number' : T extends boolean ? 'boolean' : 'string';
  readonly default: T;
  /** Earlier keys of the setting, still read (deprecated in package.json) when the user set one of them and not the key. */
  readonly formerKeys: readonly string[];
}

function numberSetting(key: string, defaultValue: number, formerKeys: readonly string[] = []): Setting<number> {
  return { key, type: 'number', default: defaultValue, formerKeys };
}

function booleanSetting(key: string, defaultValue: boolean): Setting<boolean> {
  return { key, type: 'boolean', default: defaultValue, formerKeys: [] };
}

function stringSetting(key: string, defaultValue: string): Setting<string> {
  return { key, type: 'string', default: defaultValue, formerKeys: [] };
}

export const Settings = {
  /** How long the language server waits after an edit before it validates, in ms. */
  validationDelayMs: numberSetting('mlops.validation.delayMs', 150),
  /** Open the tracking store and its endpoint when the extension starts. */
  trackingStartOnOpen: booleanSetting('mlops.tracking.startOnOpen', true),
  /** MLFLOW_TRACKING_URI/TOKEN in integrated terminals. */
  trackingTerminalEnvironment: booleanSetting('mlops.tracking.terminalEnvironment', true),
  /** A team's MLflow tracking server (http or https); empty: the workspace database. */
  trackingUri: stringSetting('mlops.tracking.uri', ''),
  /** When the workspace store acknowledges a write: `fsync` (on disk) or `process` (in the page cache; faster, an OS crash can lose it). */
  trackingDurability: stringSetting('mlops.tracking.durability', 'fsync'),
  /** Metric points in the workspace store above which the status bar recommends a tracking server. */
  trackingCeilingPoints: numberSetting('mlops.tracking.ceilingPoints', 10_000_000),
  /** A PEM file of CA certificates to trust for the tracking server. */
  trackingCaBundle: stringSetting('mlops.tracking.caBundle', ''),
  /** Steps of a run at once; 0: the number of CPUs. Formerly `mlops.maxParallelSteps`. */
  runMaxParallelSteps: numberSetting('mlops.run.maxParallelSteps', 0, ['mlops.maxParallelSteps']),
  /** Each metric a step logs as a line in the run's terminal. */
  runShowMetrics: booleanSetting('mlops.run.showMetrics', false),
  /** Start `on_drift.run_pipeline` without asking when a check finds drift. */
  monitorAutoRetrain: booleanSetting('mlops.monitor.autoRetrain', false),
  /** Warn in pipeline files of steps without a container image, which a Kubeflow/Argo export needs. */
  exportWarnMissingImage: booleanSetting('mlops.export.warnMissingImage', false),
} as const;

/** What a configuration holds, as far as reading a setting needs: a key's value and whether the user set it at all. */
export interface SettingsReader {
  /** The value in effect for `key` (the user's, else package.json's default), undefined for an unknown key. */
  get(key: string): unknown;
  /** Whether the user set `key` in any scope (user, workspace, folder). */
  isSet(key: string): boolean;
}

/**
 * The value of `setting`: its key's; else that of a former key the user set (and did not move to
 * the new key yet); else the default. A value of the wrong type counts as the default.
 */
export function readSetting<T extends number | boolean | string>(setting: Setting<T>, reader: SettingsReader): T {
  const former = reader.isSet(setting.key) ? undefined : setting.formerKeys.find((key) => reader.isSet(key));
  const value = reader.get(former ?? setting.key);
  return typeof value === setting.type ? (value as T) : setting.default;
}

/** The keys whose change changes `setting`: its own and its former ones. */
export function settingKeys(setting: Setting<number | boolean | string>): readonly string[] {
  return [setting.key, ...setting.formerKeys];
}

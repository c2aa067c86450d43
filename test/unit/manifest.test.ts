import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { KINDS, kindOfPath } from '../../common/src';
import { Commands, Views } from '../../client/src/ui/commandIds';
import { TreeCommands } from '../../client/src/ui/trees/treeCommandIds';
import { TASK_TYPE } from '../../client/src/ui/run/taskDefinition';
import { ChartViewTypes } from '../../client/src/ui/charts/chartViewTypes';

const ROOT = path.resolve(__dirname, '../..');
interface Manifest {
  displayName: string;
  engines: { vscode: string };
  main: string;
  bin: Record<string, string>;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; description: string } };
  contributes: {
    languages: { id: string; aliases: string[]; filenamePatterns: string[]; configuration: string }[];
    grammars: { language?: string; scopeName: string; path: string }[];
    commands: { command: string; title: string; category: string }[];
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    viewsWelcome: { view: string; contents: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    taskDefinitions: { type: string; required: string[]; properties: Record<string, { type: string }> }[];
    configuration: { properties: Record<string, { type: string; default: unknown }> };
  };
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** A filename pattern of the manifest as a RegExp (only `*` occurs in ours). */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
}

describe('package.json manifest', () => {
  it('names the product and targets VS Code 1.91+', () => {
    assert.equal(manifest.displayName, 'MLOps Workbench');
    assert.equal(manifest.engines.vscode, '^1.91.0');
    assert.equal(manifest.main, './client/out/extension.js');
    assert.equal(manifest.bin.mlops, 'client/out/cli.js');
  });

  it('contributes exactly the three languages of FORMATS.md, with patterns that agree with kindOfPath', () => {
    assert.deepEqual(manifest.contributes.languages.map((l) => l.id).sort(), KINDS.map((k) => k.languageId).sort());
    for (const kind of KINDS) {
      const language = manifest.contributes.languages.find((l) => l.id === kind.languageId)!;
      assert.equal(language.aliases[0], kind.label);
      assert.ok(existsSync(path.join(ROOT, language.configuration)));
      for (const ext of ['yaml', 'yml']) {
        const name = `churn.${kind.kind}.${ext}`;
        assert.ok(
          language.filenamePatterns.some((p) => globToRegExp(p).test(name)),
          `${name} matches ${kind.languageId}`,
        );
        assert.equal(kindOfPath(name), kind.kind);
      }
      assert.ok(!language.filenamePatterns.some((p) => globToRegExp(p).test('docker-compose.yaml')), 'never claims plain YAML');
      assert.ok(manifest.contributes.grammars.some((g) => g.language === kind.languageId && existsSync(path.join(ROOT, g.path))));
    }
  });

  it('activates only on our languages, our files and our commands', () => {
    for (const event of manifest.activationEvents) {
      assert.match(
        event,
        /^(onLanguage:mlops-(pipeline|features|monitor)|workspaceContains:\*\*\/\*\.(pipeline|features|monitor)\.\{yaml,yml\}|onWebviewPanel:mlops\.[A-Za-z]+)$/,
      );
    }
    assert.equal(manifest.activationEvents.filter((e) => !e.startsWith('onWebviewPanel:')).length, 6);
    // Each panel with a serializer (restored after a reload) activates the extension.
    for (const viewType of Object.values(ChartViewTypes))
      assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${viewType}`), viewType);
  });

  it('declares limited support in untrusted workspaces and says what is off', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(manifest.capabilities.untrustedWorkspaces.description, /Running pipelines/);
  });

  it('declares every command id the code registers, and nothing more, with a category', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, [...Object.values(Commands), ...Object.values(TreeCommands)].sort());
    assert.ok(manifest.contributes.commands.every((c) => c.category === 'MLOps' && c.title.length > 0));
    for (const items of Object.values(manifest.contributes.menus)) {
      for (const item of items) assert.ok((declared as string[]).includes(item.command), `menu item ${item.command} is declared`);
    }
  });

  it('offers the runner where pipelines are: editor title, palette, and the mlops task type', () => {
    const { menus, taskDefinitions, configuration } = manifest.contributes;
    assert.ok(
      menus['editor/title']!.some((m) => m.command === Commands.runPipeline && m.when?.includes('resourceLangId == mlops-pipeline')),
    );
    for (const id of [Commands.runPipeline, Commands.runPipelineWithParams, Commands.cancelRun]) {
      assert.ok(
        menus.commandPalette!.some((m) => m.command === id && m.when !== 'false'),
        `${id} is in the palette`,
      );
    }
    for (const id of [Commands.runStep, Commands.showRun, Commands.openMonitor]) {
      assert.ok(
        menus.commandPalette!.some((m) => m.command === id && m.when === 'false'),
        `${id} needs arguments and stays out of the palette`,
      );
    }
    const task = taskDefinitions.find((t) => t.type === TASK_TYPE);
    assert.deepEqual(task?.required, ['pipeline']);
    assert.equal(task?.properties['pipeline']?.type, 'string');
    assert.equal(task?.properties['params']?.type, 'object');
    assert.deepEqual(configuration.properties['mlops.maxParallelSteps'], {
      ...configuration.properties['mlops.maxParallelSteps'],
      type: 'number',
      default: 0,
    });
  });

  it('offers drift checks in the palette, the Monitors view and monitor editors, and the autoRetrain setting', () => {
    const { menus, configuration } = manifest.contributes;
    for (const id of [Commands.checkDrift, Commands.showDriftReport, Commands.retrainFromMonitor]) {
      assert.ok(
        menus.commandPalette!.some((m) => m.command === id && m.when !== 'false'),
        `${id} is in the palette`,
      );
    }
    assert.ok(
      menus['view/item/context']!.some(
        (m) =>
          m.command === Commands.checkDrift &&
          m.when?.includes('view == mlops.monitors') &&
          (m as { group?: string }).group?.startsWith('inline'),
      ),
    );
    assert.ok(menus['editor/title']!.some((m) => m.command === Commands.checkDrift && m.when?.includes('resourceLangId == mlops-monitor')));
    assert.deepEqual(configuration.properties['mlops.monitor.autoRetrain'], {
      ...configuration.properties['mlops.monitor.autoRetrain'],
      type: 'boolean',
      default: false,
    });
  });

  it('puts the views in an MLOps activity-bar container, each with welcome content', () => {
    assert.equal(manifest.contributes.viewsContainers.activitybar[0]?.id, 'mlops');
    assert.ok(existsSync(path.join(ROOT, manifest.contributes.viewsContainers.activitybar[0]!.icon)));
    const ids = (manifest.contributes.views.mlops ?? []).map((v) => v.id).sort();
    assert.deepEqual(ids, Object.values(Views).sort());
    for (const id of ids)
      assert.ok(
        manifest.contributes.viewsWelcome.some((w) => w.view === id),
        `welcome for ${id}`,
      );
  });

  it('keeps .vscodeignore an allow-list that ships the bundles, grammars and media', () => {
    const lines = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**', 'first ignore everything');
    for (const needed of [
      'client/out/extension.js',
      'client/out/cli.js',
      'server/out/server.js',
      'syntaxes/**',
      'language-configuration.json',
      'media/**',
    ]) {
      assert.ok(lines.includes(`!${needed}`), `.vscodeignore allows ${needed}`);
    }
    for (const file of readdirSync(path.join(ROOT, 'syntaxes'))) JSON.parse(readFileSync(path.join(ROOT, 'syntaxes', file), 'utf8'));
  });
});

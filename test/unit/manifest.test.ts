import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { KINDS, kindOfPath } from '../../common/src';
import { Commands, ContextKeys } from '../../common/src/ids/commands';
import { Views, ViewTypes } from '../../common/src/ids/viewTypes';
import { Settings, settingKeys } from '../../common/src/settings';
import { TASK_TYPE } from '../../client/src/ui/run/taskDefinition';
import { LEVEL_ITEMS } from '../../client/src/core/maturity/assess';

const ROOT = path.resolve(__dirname, '../..');
interface Manifest {
  displayName: string;
  engines: { vscode: string };
  main: string;
  bin: Record<string, string>;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; description: string; restrictedConfigurations: string[] } };
  contributes: {
    languages: { id: string; aliases: string[]; filenamePatterns: string[]; configuration: string }[];
    grammars: { language?: string; scopeName: string; path: string }[];
    commands: { command: string; title: string; category: string }[];
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    viewsWelcome: { view: string; contents: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    taskDefinitions: { type: string; required: string[]; properties: Record<string, { type: string }> }[];
    configuration: {
      properties: Record<string, { type: string; default: unknown; deprecationMessage?: string; markdownDeprecationMessage?: string }>;
    };
  };
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** Every .ts file under `folder`: its path from the root and its text. */
function sourcesUnder(folder: string): { file: string; text: string }[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: path.join(folder, f), text: readFileSync(path.join(ROOT, folder, f), 'utf8') }));
}

/** What `pattern`'s first group captures across these sources. */
function captured(sources: readonly { text: string }[], pattern: RegExp): Set<string> {
  return new Set(sources.flatMap(({ text }) => [...text.matchAll(pattern)].map((m) => m[1]!)));
}

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

  it('contributes exactly the three languages of docs/formats.md, with patterns that agree with kindOfPath', () => {
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
  });

  it('activates on exactly the webview panels that have a serializer, each a known view type', () => {
    const client = sourcesUnder('client/src');
    // Every panel is created with a ViewTypes id, and the restored ones register a serializer for theirs.
    assert.deepEqual([...captured(client, /createWebviewPanel\(\s*ViewTypes\.(\w+)/g)].sort(), Object.keys(ViewTypes).sort());
    const restored = [...captured(client, /registerWebviewPanelSerializer\(\s*ViewTypes\.(\w+)/g)];
    assert.deepEqual(restored.sort(), ['compare', 'metrics']);
    const panelEvents = manifest.activationEvents.filter((e) => e.startsWith('onWebviewPanel:')).sort();
    assert.deepEqual(panelEvents, restored.map((k) => `onWebviewPanel:${ViewTypes[k as keyof typeof ViewTypes]}`).sort());
    assert.equal(new Set(Object.values(ViewTypes)).size, Object.keys(ViewTypes).length, 'view types are distinct');
  });

  it('declares limited support in untrusted workspaces and says what is off', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(manifest.capabilities.untrustedWorkspaces.description, /Running pipelines/);
  });

  it('declares every command id of common/src/ids/commands.ts, and nothing more, with a category', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(Commands).sort());
    assert.ok(manifest.contributes.commands.every((c) => c.category === 'MLOps' && c.title.length > 0));
    for (const items of Object.values(manifest.contributes.menus)) {
      for (const item of items) assert.ok((declared as string[]).includes(item.command), `menu item ${item.command} is declared`);
    }
  });

  it("registers every command in the extension; the language server's code lenses name some of them", () => {
    const registered = captured(sourcesUnder('client/src/ui'), /register\(\s*Commands\.(\w+)/g);
    assert.deepEqual([...registered].sort(), Object.keys(Commands).sort());
    const lensCommands = captured(sourcesUnder('server/src'), /command:\s*Commands\.(\w+)/g);
    assert.deepEqual([...lensCommands].sort(), [
      'checkDrift',
      'materializeFeatures',
      'previewFeatureView',
      'runPipeline',
      'runStep',
      'showPipelineGraph',
    ]);
  });

  it('spells the ids out only in common/src/ids', () => {
    const ids = [...Object.values(Commands), ...Object.values(ContextKeys), ...Object.values(Views), ...Object.values(ViewTypes)];
    for (const folder of ['client/src', 'server/src', 'webviews/src', 'common/src']) {
      for (const { file, text } of sourcesUnder(folder)) {
        if (file.startsWith(path.join('common/src/ids'))) continue;
        for (const id of ids) assert.ok(!text.includes(`'${id}'`), `${file} spells out '${id}'`);
      }
    }
  });

  it('has a walkthrough whose steps complete by the Maturity view’s keys and real commands, each with its media', () => {
    const walkthroughs = (
      manifest.contributes as unknown as {
        walkthroughs: {
          id: string;
          steps: { id: string; media: { markdown: string }; completionEvents: string[]; description: string }[];
        }[];
      }
    ).walkthroughs;
    assert.equal(walkthroughs.length, 1);
    const [walk] = walkthroughs;
    assert.equal(walk!.id, 'gettingStarted');
    const items = new Set(LEVEL_ITEMS.flat());
    const commands = new Set(Object.values(Commands));
    assert.deepEqual(
      walk!.steps.map((s) => s.id),
      ['sample', 'track', 'pipeline', 'run', 'registry', 'features', 'ci', 'monitor', 'retrain'],
    );
    const keysUsed = new Set<string>();
    for (const step of walk!.steps) {
      assert.ok(existsSync(path.join(ROOT, step.media.markdown)), `${step.media.markdown} exists`);
      assert.ok(step.completionEvents.length > 0, `${step.id} completes by itself`);
      for (const event of step.completionEvents) {
        const [kind, value] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
        if (kind === 'onContext') {
          assert.match(value, /^mlops\.maturity\.\w+$/, event);
          assert.ok(items.has(value.slice('mlops.maturity.'.length) as never), `${event} is set by the Maturity view`);
          keysUsed.add(value);
        } else assert.ok(kind === 'onCommand' && commands.has(value as never), `${event} names a command`);
      }
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g))
        assert.ok(commands.has(command as never) || command === 'mlops.maturity.focus', `${step.id} links ${command}`);
    }
    assert.equal(keysUsed.size, items.size, 'every checklist item completes a step');
  });

  it('uses every context key the extension sets in a when clause', () => {
    const whens = [
      ...Object.values(manifest.contributes.menus).flatMap((items) => items.map((i) => i.when ?? '')),
      ...manifest.contributes.viewsWelcome.map((w) => (w as { when?: string }).when ?? ''),
    ];
    for (const key of Object.values(ContextKeys)) {
      assert.ok(
        whens.some((w) => new RegExp(`(^|[^\\w.])${key.replace(/\./g, '\\.')}($|[^\\w.])`).test(w)),
        `${key} appears in a when clause`,
      );
    }
  });

  it('declares every setting of common/src/settings.ts with its type and default, and no other', () => {
    const { properties } = manifest.contributes.configuration;
    const keys = Object.values(Settings).flatMap((s) => settingKeys(s));
    assert.deepEqual(Object.keys(properties).sort(), [...keys].sort());
    for (const setting of Object.values(Settings)) {
      assert.match(
        setting.key,
        /^mlops\.(run|tracking|monitor|validation|export)\.[A-Za-z]+$/,
        `${setting.key} follows mlops.<area>.<name>`,
      );
      for (const key of settingKeys(setting)) {
        assert.equal(properties[key]?.type, setting.type, `${key} type`);
        assert.deepEqual(properties[key]?.default, setting.default, `${key} default`);
      }
      assert.equal(properties[setting.key]?.deprecationMessage, undefined, `${setting.key} is current`);
      for (const former of setting.formerKeys) {
        assert.match(
          properties[former]?.deprecationMessage ?? '',
          new RegExp(setting.key.replace(/\./g, '\\.')),
          `${former} names its new key`,
        );
        assert.match(
          properties[former]?.markdownDeprecationMessage ?? '',
          new RegExp(setting.key.replace(/\./g, '\\.')),
          `${former} names its new key`,
        );
      }
    }
  });

  it('restricts only known settings in untrusted workspaces, a renamed one under both names', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.ok(restricted.includes(Settings.validationDelayMs.key));
    for (const setting of Object.values(Settings)) {
      const keys = settingKeys(setting);
      const listed = keys.filter((k) => restricted.includes(k));
      assert.ok(listed.length === 0 || listed.length === keys.length, `${setting.key}: restricted under all of its names or none`);
    }
    const known = new Set(Object.values(Settings).flatMap((s) => settingKeys(s)));
    for (const key of restricted) assert.ok(known.has(key), `${key} is a setting`);
  });

  it('offers the runner where pipelines are: editor title, palette, and the mlops task type', () => {
    const { menus, taskDefinitions } = manifest.contributes;
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
  });

  it('offers drift checks in the palette, the Monitors view and monitor editors', () => {
    const { menus } = manifest.contributes;
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
    // Every bundle the build writes (the workers too: a worker left out breaks only the packaged extension).
    const outfiles = [...readFileSync(path.join(ROOT, 'scripts/build.mjs'), 'utf8').matchAll(/outfile: '([^']+)'/g)].map((m) => m[1]!);
    assert.ok(outfiles.length >= 6, `the build's bundles: ${outfiles.join(', ')}`);
    for (const bundle of outfiles) assert.ok(lines.includes(`!${bundle}`), `.vscodeignore allows ${bundle}`);
    for (const file of readdirSync(path.join(ROOT, 'syntaxes'))) JSON.parse(readFileSync(path.join(ROOT, 'syntaxes', file), 'utf8'));
  });
});

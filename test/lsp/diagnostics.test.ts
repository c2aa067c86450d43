import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { LspServer } from '../helpers/lspServer';

/** A valid pipeline whose `env` map ends the file, so tests can append keys to it. */
const HEAD = 'pipeline: p\nsteps:\n  s:\n    run: r\nenv:\n';

describe('language server diagnostics (real server over stdio)', () => {
  let server: LspServer;
  before(async () => {
    server = await LspServer.start();
  });
  after(async () => {
    await server.stop();
  });

  it('publishes yaml-syntax and duplicate-key with exact ranges and source mlops', async () => {
    const uri = 'file:///ws/broken.pipeline.yaml';
    await server.open(uri, 'mlops-pipeline', 'pipeline: churn\nsteps:\n  a:\n    run: x\n  a:\n    run: y\n  b:\n    needs: [a\n');
    const { diagnostics } = await server.diagnostics(uri);
    const byCode = new Map(diagnostics.map((d) => [d.code, d]));
    const duplicate = byCode.get('duplicate-key');
    assert.ok(duplicate, JSON.stringify(diagnostics));
    assert.deepEqual(duplicate.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 3 } });
    assert.equal(duplicate.severity, DiagnosticSeverity.Error);
    assert.equal(duplicate.source, 'mlops');
    assert.match(String(duplicate.message), /already defined on line 3/);
    const syntax = byCode.get('yaml-syntax');
    assert.ok(syntax, JSON.stringify(diagnostics));
    assert.equal(syntax.source, 'mlops');
    assert.equal(syntax.severity, DiagnosticSeverity.Error);
    assert.deepEqual(
      syntax.range,
      { start: { line: 7, character: 12 }, end: { line: 7, character: 13 } },
      'at the end of the text: the last token',
    );
    assert.deepEqual(syntax.relatedInformation?.[0]?.location, {
      uri,
      range: { start: { line: 7, character: 11 }, end: { line: 7, character: 12 } },
    });
  });

  it('validates all three kinds, by file name or by language id', async () => {
    const cases = [
      ['file:///ws/a.features.yaml', 'yaml'],
      ['file:///ws/b.monitor.yml', 'mlops-monitor'],
      ['untitled:Untitled-1', 'mlops-pipeline'],
    ] as const;
    for (const [uri, languageId] of cases) {
      const text =
        languageId === 'mlops-pipeline'
          ? `${HEAD}  k: 1\n  k: 2\n`
          : uri.includes('monitor')
            ? 'monitor: a\nmonitor: b\n'
            : 'project: a\nproject: b\n';
      await server.open(uri, languageId, text);
      const { diagnostics } = await server.diagnostics(uri);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['duplicate-key'],
        uri,
      );
    }
  });

  it('leaves other YAML alone', async () => {
    const uri = 'file:///ws/docker-compose.yaml';
    await server.open(uri, 'yaml', 'k: 1\nk: 2\n');
    const marker = 'file:///ws/marker.pipeline.yaml';
    await server.open(marker, 'mlops-pipeline', 'pipeline: x\n');
    await server.diagnostics(marker);
    assert.equal(server.published.filter((p) => p.uri === uri).length, 0);
  });

  it('debounces a burst of edits into one validation of the last version', async () => {
    const uri = 'file:///ws/burst.pipeline.yaml';
    const start = server.published.length;
    await server.open(uri, 'mlops-pipeline', `${HEAD}  a: 1\n`);
    for (let version = 2; version <= 30; version++) await server.replace(uri, version, `${HEAD}  a: 1\n${'  a: 2\n'.repeat(version % 3)}`);
    await server.replace(uri, 31, `${HEAD}  a: 1\n  a: 2\n`);
    const final = await server.diagnostics(uri, (p) => p.version === 31, 5000, start);
    assert.equal(final.diagnostics.length, 1);
    const forUri = server.published.slice(start).filter((p) => p.uri === uri);
    assert.ok(forUri.length <= 2, `expected the burst to collapse, got ${forUri.length} publications`);
  });

  it('clears diagnostics when a document closes, and revalidates a fixed document to empty', async () => {
    const uri = 'file:///ws/fix.pipeline.yaml';
    await server.open(uri, 'mlops-pipeline', `${HEAD}  a: 1\n  a: 2\n`);
    await server.diagnostics(uri, (p) => p.diagnostics.length === 1);
    const mark = server.published.length;
    await server.replace(uri, 2, `${HEAD}  a: 1\n  b: 2\n`);
    await server.diagnostics(uri, (p) => p.version === 2 && p.diagnostics.length === 0, 5000, mark);
    await server.replace(uri, 3, `${HEAD}  a: 1\n  a: 2\n`);
    await server.close(uri);
    const cleared = await server.diagnostics(uri, (p) => p.diagnostics.length === 0 && p.version === undefined, 5000, mark);
    assert.deepEqual(cleared.diagnostics, []);
    // The edit made just before closing must not publish after the clear.
    await new Promise((r) => setTimeout(r, 150));
    const last = server.published.filter((p) => p.uri === uri).at(-1);
    assert.deepEqual(last?.diagnostics, []);
  });

  it('keeps answering after hostile input', async () => {
    const uri = 'file:///ws/hostile.pipeline.yaml';
    const texts = ['{{{{', '- - - - -', '&a [*a, *a]', '!!binary x', ':\n:\n:', '\u0000\u0001', 'a: '.repeat(5000), '"'.repeat(999)];
    let version = 1;
    await server.open(uri, 'mlops-pipeline', texts[0]!);
    for (const t of texts.slice(1)) await server.replace(uri, ++version, t);
    await server.replace(uri, ++version, `${HEAD}  a: 1\n  a: 1\n`);
    const last = await server.diagnostics(uri, (p) => p.version === version);
    assert.deepEqual(
      last.diagnostics.map((d) => d.code),
      ['duplicate-key'],
    );
    assert.equal(server.exitCode, undefined);
  });
});

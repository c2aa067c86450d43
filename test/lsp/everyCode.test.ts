import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspServer } from '../helpers/lspServer';

const FIXTURE = path.resolve(__dirname, '../fixtures/fuzz/every-code.pipeline.yaml');

/** The codes of docs/formats.md (section Diagnostic codes) that apply to pipeline files, with their severity. */
const PIPELINE_CODES: Record<string, DiagnosticSeverity> = {
  'duplicate-key': DiagnosticSeverity.Error,
  'unknown-key': DiagnosticSeverity.Error,
  'missing-key': DiagnosticSeverity.Error,
  'type-mismatch': DiagnosticSeverity.Error,
  'invalid-name': DiagnosticSeverity.Error,
  'invalid-duration': DiagnosticSeverity.Error,
  'bad-expression': DiagnosticSeverity.Error,
  'unknown-param': DiagnosticSeverity.Error,
  'unknown-step': DiagnosticSeverity.Error,
  'unknown-output': DiagnosticSeverity.Error,
  cycle: DiagnosticSeverity.Error,
  'param-default': DiagnosticSeverity.Error,
  'output-conflict': DiagnosticSeverity.Error,
  'unused-param': DiagnosticSeverity.Warning,
  'missing-file': DiagnosticSeverity.Warning,
};

describe('every pipeline code of docs/formats.md from the real server', () => {
  let server: LspServer;
  let diagnostics: Diagnostic[];
  const text = readFileSync(FIXTURE, 'utf8');
  const lines = text.split('\n');
  const covered = (d: Diagnostic) =>
    lines[d.range.start.line]!.slice(d.range.start.character, d.range.end.line === d.range.start.line ? d.range.end.character : undefined);

  before(async () => {
    server = await LspServer.start();
    const uri = pathToFileURL(FIXTURE).toString();
    await server.open(uri, 'mlops-pipeline', text);
    diagnostics = (await server.diagnostics(uri)).diagnostics;
  });
  after(async () => server.stop());

  it('reports each code with its severity and source mlops, all at once', () => {
    const found = new Set(diagnostics.map((d) => String(d.code)));
    for (const [code, severity] of Object.entries(PIPELINE_CODES)) {
      assert.ok(found.has(code), `${code} missing from ${[...found].join(', ')}`);
      assert.ok(
        diagnostics.filter((d) => d.code === code).every((d) => d.severity === severity && d.source === 'mlops'),
        code,
      );
    }
  });

  it('covers exactly the offending segment, key or value', () => {
    const at = (code: string, message: RegExp) => {
      const d = diagnostics.find((x) => x.code === code && message.test(String(x.message)));
      assert.ok(d, `${code} ${message}`);
      return covered(d);
    };
    assert.equal(at('unknown-step', /`trian`/), 'trian');
    assert.equal(at('unknown-output', /`nope`/), 'nope');
    assert.equal(at('unknown-param', /`missing`/), 'missing');
    assert.equal(at('bad-expression', /unknown root/), 'bogus');
    assert.equal(at('unknown-key', /`neds`/), 'neds');
    assert.equal(at('invalid-duration', /10 minutes/), '10 minutes');
    assert.equal(at('missing-file', /does\/not\/exist/), 'does/not/exist.py');
    assert.equal(at('unused-param', /`unused`/), 'unused');
    assert.equal(at('param-default', /above its maximum/), '50');
    assert.equal(at('invalid-name', /pipeline name/), 'Not A Valid Name');
    assert.equal(at('unknown-step', /`ghost`/), 'ghost');
  });

  it('reports the cycle on every edge that takes part, each message naming the whole cycle', () => {
    const cycles = diagnostics.filter((d) => d.code === 'cycle');
    assert.ok(cycles.length >= 4, JSON.stringify(cycles.map((c) => String(c.message))));
    for (const d of cycles) {
      const names = /cycle: (.*);/.exec(String(d.message))?.[1]?.split(' -> ') ?? [];
      assert.ok(names.length >= 3 && names[0] === names.at(-1), String(d.message));
      assert.ok(names.includes(covered(d)), `${covered(d)} is an edge of ${String(d.message)}`);
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { mlops, ROOT } from '../helpers/cli';

const BROKEN = 'test/fixtures/cli/broken';

describe('mlops validate (the built bin)', () => {
  it('passes the churn sample clean, exit 0', () => {
    const r = mlops(['validate', 'samples/churn']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '3 files checked: 0 errors, 0 warnings\n');
  });

  it('prints file:line:col severity code message and exits 1 on errors, skipping venv and plain YAML', () => {
    const r = mlops(['validate', BROKEN]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.slice(0, -1).map((l) => l.split(' ').slice(0, 3).join(' ')),
      [
        `${BROKEN}/dup.features.yaml:4:5 error duplicate-key`,
        `${BROKEN}/nested/bad.pipeline.yaml:5:5 error yaml-syntax`,
        `${BROKEN}/warn-only.monitor.yml:2:12 warning yaml-syntax`,
      ],
    );
    assert.equal(lines.at(-1), '3 files checked: 2 errors, 1 warning');
    assert.doesNotMatch(r.stdout, /skipped|plain\.yaml/);
  });

  it('exits 0 when there are only warnings, and --quiet hides them', () => {
    const warnOnly = `${BROKEN}/warn-only.monitor.yml`;
    assert.equal(mlops(['validate', warnOnly]).code, 0);
    const quiet = mlops(['validate', '--quiet', warnOnly]);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stdout, '');
  });

  it('writes a JSON report with --json', () => {
    const r = mlops(['validate', '--json', BROKEN]);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as {
      files: {
        file: string;
        kind: string;
        diagnostics: { line: number; column: number; endLine: number; endColumn: number; code: string; severity: string; source: string }[];
      }[];
      errorCount: number;
      warningCount: number;
    };
    assert.equal(report.errorCount, 2);
    assert.equal(report.warningCount, 1);
    const dup = report.files.find((f) => f.file.endsWith('dup.features.yaml'));
    assert.equal(dup?.kind, 'features');
    assert.deepEqual(dup?.diagnostics[0] && { ...dup.diagnostics[0], message: undefined }, {
      line: 4,
      column: 5,
      endLine: 4,
      endColumn: 9,
      severity: 'error',
      code: 'duplicate-key',
      source: 'mlops',
      message: undefined,
    });
  });

  it('prints paths relative to the working folder, absolute outside it', () => {
    const inside = mlops(['validate', 'dup.features.yaml'], path.join(ROOT, BROKEN));
    assert.match(inside.stdout, /^dup\.features\.yaml:4:5 /);
    const outside = mlops(['validate', path.join(ROOT, BROKEN, 'dup.features.yaml')], path.join(ROOT, 'samples'));
    assert.ok(outside.stdout.startsWith(path.join(ROOT, BROKEN, 'dup.features.yaml:4:5 ')), outside.stdout);
  });

  it('validates the current folder when given no path', () => {
    const r = mlops(['validate'], path.join(ROOT, 'test/fixtures/cli/clean'));
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '1 file checked: 0 errors, 0 warnings\n');
  });

  it('names the problem on bad usage and exits 2', () => {
    const missing = mlops(['validate', 'no/such/place']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder: no\/such\/place/);
    const notOurs = mlops(['validate', `${BROKEN}/plain.yaml`]);
    assert.equal(notOurs.code, 2);
    assert.match(notOurs.stderr, /is not a pipeline, features or monitor file/);
    const option = mlops(['validate', '--nope']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /--nope/);
    const command = mlops(['valdate']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command 'valdate'/);
    const empty = mkdtempSync(path.join(tmpdir(), 'mlops-empty-'));
    try {
      writeFileSync(path.join(empty, 'x.yaml'), 'a: 1\n');
      const none = mlops(['validate', empty]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /no pipeline, features or monitor files under/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('has --help on every command and a version', () => {
    const top = mlops(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /Usage: mlops <command>/);
    assert.match(top.stdout, /validate\s+Check pipeline/);
    for (const args of [
      ['validate', '--help'],
      ['help', 'validate'],
      ['validate', '-h'],
    ]) {
      const r = mlops(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /Usage: mlops validate/);
      assert.match(r.stdout, /--json/);
    }
    assert.match(mlops(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(mlops([]).code, 2, 'no command is a usage error');
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { copyChurnSample, mlops, ROOT } from '../helpers/cli';

// `mlops ci init`: the workflow is YAML that GitHub's published schema (SchemaStore, committed under
// test/fixtures/ci) accepts, merges into an existing file, and its jobs run the commands they claim:
// each `run:` line is run as GitHub runs it (bash -eo pipefail) against a copy of samples/churn, the
// install line included, with MLOPS_PACKAGE pointing at a tarball of the built CLI.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const schema = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/ci/github-workflow.schema.json'), 'utf8')) as Json;
const validateWorkflow = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

/** A package of the built CLI, as npm would install it from the registry: bin `mlops`, no dependencies (the bundle holds them). */
function cliTarball(dir: string): string {
  const pkg = path.join(dir, 'pkg');
  mkdirSync(pkg, { recursive: true });
  for (const file of readdirSync(path.join(ROOT, 'client/out')))
    if (/^(cli|\w+Worker)\.js$|\.wasm$/.test(file)) copyFileSync(path.join(ROOT, 'client/out', file), path.join(pkg, file));
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'mlops-workbench', version, bin: { mlops: 'cli.js' } }));
  const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return path.join(dir, r.stdout.trim().split('\n').at(-1)!);
}

describe('mlops ci init', () => {
  let dir: string;
  let repo: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-ci-'));
    repo = path.join(dir, 'repo');
    copyChurnSample(path.join(repo, 'ml'));
    mkdirSync(path.join(repo, '.git'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a GitHub workflow that the published schema accepts, with each job where the issue puts it', () => {
    const r = mlops(['ci', 'init', '--workspace', 'ml'], repo);
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(repo, '.github/workflows/mlops.yml');
    const text = readFileSync(file, 'utf8');
    const workflow = parse(text) as Json;
    assert.ok(validateWorkflow(workflow), JSON.stringify(validateWorkflow.errors?.slice(0, 3)));
    assert.doesNotMatch(text, /[&*]a\d/, 'no YAML anchors: every step reads on its own');
    assert.deepEqual(Object.keys(workflow.jobs), ['mlops-validate', 'mlops-train', 'mlops-monitor', 'mlops-retrain']);
    assert.deepEqual(workflow.on.schedule, [{ cron: '0 * * * *' }], 'the monitor’s 1h schedule');
    assert.deepEqual(workflow.on.push, { branches: ['main'] });
    assert.ok('pull_request' in workflow.on);
    assert.equal(
      workflow.env.MLOPS_PACKAGE,
      `mlops-workbench@${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`,
    );
    const runs = (job: string) => (workflow.jobs[job].steps as Json[]).filter((s) => s.run).map((s) => s.run as string);
    assert.deepEqual(runs('mlops-validate'), ['npm install --global "$MLOPS_PACKAGE"', 'mlops validate --format github ml']);
    assert.equal(runs('mlops-train')[1], 'mlops run ml/churn.pipeline.yaml --workspace ml | tee mlops-run.log');
    assert.equal(workflow.jobs['mlops-train'].env.MLFLOW_TRACKING_URI, '${{ secrets.MLFLOW_TRACKING_URI }}');
    assert.match(runs('mlops-monitor')[1]!, /^set \+e\nmlops monitor ml\/churn\.monitor\.yaml --workspace ml\n/);
    assert.equal(runs('mlops-monitor')[2], 'gh workflow run "${{ github.workflow }}" --ref "${{ github.ref_name }}" -f job=retrain');
    assert.equal(
      runs('mlops-retrain')[1],
      'mlops run ml/churn.pipeline.yaml --workspace ml --param input_data=data/labels-batch-001.csv | tee mlops-run.log',
    );
    assert.match(r.stdout, /^Wrote \.github\/workflows\/mlops\.yml \(github\):/);
  });

  it('merges into an existing workflow: the user’s name, triggers and jobs stay, its mlops-* jobs are rewritten', () => {
    const file = path.join(repo, '.github/workflows/mlops.yml');
    writeFileSync(
      file,
      [
        'name: Build',
        'on:',
        '  push:',
        '    branches: [dev]',
        'jobs:',
        '  lint: # mine',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo lint',
        '  mlops-train:',
        '    runs-on: old',
        '',
      ].join('\n'),
    );
    const r = mlops(['ci', 'init', '--workspace', 'ml'], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Updated /);
    const text = readFileSync(file, 'utf8');
    const workflow = parse(text) as Json;
    assert.ok(validateWorkflow(workflow), JSON.stringify(validateWorkflow.errors?.slice(0, 3)));
    assert.equal(workflow.name, 'Build');
    assert.deepEqual(workflow.on.push.branches, ['dev', 'main']);
    assert.deepEqual(Object.keys(workflow.jobs), ['lint', 'mlops-train', 'mlops-validate', 'mlops-monitor', 'mlops-retrain']);
    assert.equal(workflow.jobs['mlops-train']['runs-on'], 'ubuntu-latest');
    assert.match(text, /# mine/, 'the user’s comment stays');
    writeFileSync(file, 'jobs: [unclosed\n');
    const broken = mlops(['ci', 'init', '--workspace', 'ml'], repo);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /mlops\.yml: it is not valid YAML/);
    assert.equal(readFileSync(file, 'utf8'), 'jobs: [unclosed\n', 'a broken file is left as it was');
    rmSync(file);
  });

  it('writes GitLab CI jobs for the same commands', () => {
    const r = mlops(['ci', 'init', '--provider', 'gitlab', '--workspace', 'ml'], repo);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(repo, '.gitlab-ci.yml'), 'utf8');
    const ci = parse(text) as Json;
    assert.match(text, /create one \(CI\/CD > Schedules\) with cron '0 \* \* \* \*'/);
    assert.deepEqual(ci['mlops-validate'].script, ['mlops validate ml']);
    assert.deepEqual(ci['mlops-train'].script, ['mlops run ml/churn.pipeline.yaml --workspace ml | tee mlops-run.log']);
    assert.deepEqual(ci['mlops-train'].before_script, ['npm install --global "$MLOPS_PACKAGE"']);
    assert.deepEqual(ci['mlops-retrain'].rules, [{ if: '$MLOPS_JOB == "retrain"' }]);
    assert.equal(ci.variables.MLOPS_PACKAGE.startsWith('mlops-workbench@'), true);
  });

  it('runs what its jobs claim: install, validate, train with the summary, check drift, retrain', () => {
    assert.equal(mlops(['ci', 'init', '--workspace', 'ml'], repo).code, 0);
    const workflow = parse(readFileSync(path.join(repo, '.github/workflows/mlops.yml'), 'utf8')) as Json;
    const prefix = path.join(dir, 'npm-global');
    const files = { summary: path.join(dir, 'summary.md'), output: path.join(dir, 'output.txt'), path: path.join(dir, 'path.txt') };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MLOPS_PACKAGE: cliTarball(dir),
      npm_config_prefix: prefix,
      PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH}`,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_OUTPUT: files.output,
      // The secrets are empty in a fork's pull request: runs then go to the job's own store.
      MLFLOW_TRACKING_URI: '',
      MLFLOW_TRACKING_TOKEN: '',
    };
    const ran: { job: string; command: string; code: number | null }[] = [];
    for (const job of ['mlops-validate', 'mlops-train', 'mlops-monitor', 'mlops-retrain']) {
      for (const step of workflow.jobs[job].steps as Json[]) {
        if (!step.run) continue;
        // The dispatch goes to GitHub's API, which is not here; its condition is checked below.
        if ((step.run as string).startsWith('gh workflow run')) continue;
        const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
          cwd: repo,
          env,
          encoding: 'utf8',
          timeout: 240_000,
        });
        ran.push({
          job,
          command: (step.run as string).split('\n').find((l: string) => l.startsWith('mlops') || l.startsWith('npm') || l.startsWith('{'))!,
          code: r.status,
        });
        if (job !== 'mlops-monitor') assert.equal(r.status, 0, `${job}: ${step.run}\n${r.stdout}\n${r.stderr}`);
      }
    }
    assert.ok(existsSync(path.join(prefix, 'bin', 'mlops')), 'the install line put mlops on the PATH');
    assert.deepEqual(
      ran.map((r) => `${r.job}: ${r.command.split(' ').slice(0, 2).join(' ')}`),
      [
        'mlops-validate: npm install',
        'mlops-validate: mlops validate',
        'mlops-train: npm install',
        'mlops-train: mlops run',
        'mlops-train: { echo',
        'mlops-monitor: npm install',
        'mlops-monitor: mlops monitor',
        'mlops-retrain: npm install',
        'mlops-retrain: mlops run',
        'mlops-retrain: { echo',
      ],
    );
    const summary = readFileSync(files.summary, 'utf8');
    assert.match(summary, /^### mlops run\n\n```\n/);
    assert.match(summary, /evaluate/, 'the run summary names the steps');
    // The monitor's exit status is what the retraining dispatch reads: 0 none, 1 drift.
    const status = /status=(\d+)/.exec(readFileSync(files.output, 'utf8'))?.[1];
    const monitorCode = ran.find((r) => r.job === 'mlops-monitor' && r.command.startsWith('mlops monitor'))!.code;
    assert.equal(status, String(monitorCode));
    assert.ok(monitorCode === 0 || monitorCode === 1, `mlops monitor answered ${monitorCode}`);
    assert.ok(existsSync(path.join(repo, 'ml/.mlops/tracking.db')), 'runs went to the workspace store');
  });
});

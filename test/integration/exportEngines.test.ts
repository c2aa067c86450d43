import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { mlops, ROOT } from '../helpers/cli';

// The exports checked against the engines' own definitions (test/fixtures/engines/README.md): the
// KFP IR parsed strictly by protobuf against pipeline_spec.proto, the Argo Workflow validated by ajv
// against Argo's JSON schema with unknown fields forbidden. Then the wiring, task by task.

const ENGINES = path.join(ROOT, 'test/fixtures/engines');
const CHURN = path.join(ROOT, 'samples/churn/churn.pipeline.yaml');
const EVERY = path.join(ROOT, 'test/fixtures/export/every-feature.pipeline.yaml');
const PYTHON = '/usr/bin/python3';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function exported(args: string[]): { doc: Json; text: string; stderr: string } {
  const r = mlops(['export', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return { doc: parse(r.stdout) as Json, text: r.stdout, stderr: r.stderr };
}

/** The KFP IR parser's verdict: `ok`, or the first field it does not know. */
function kfpVerdict(spec: Json): string {
  const r = spawnSync(PYTHON, [path.join(ROOT, 'test/helpers/kfp_ir_check.py'), path.join(ENGINES, 'kfp')], {
    input: JSON.stringify(spec),
    encoding: 'utf8',
  });
  assert.equal(r.error, undefined, String(r.error));
  return `${r.stdout}${r.stderr}`.trim();
}

/** Argo's schema with every listed-properties object closed, as `argo lint` and kubectl --validate=strict read it. */
function strictArgoValidator(kind: 'Workflow' | 'WorkflowTemplate') {
  const schema = JSON.parse(readFileSync(path.join(ENGINES, 'argo-workflows/schema.json'), 'utf8')) as Json;
  for (const definition of Object.values(schema.definitions as Record<string, Json>))
    if (definition.properties && definition.additionalProperties === undefined && !definition.oneOf && !definition.anyOf)
      definition.additionalProperties = false;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(schema, 'argo');
  return ajv.compile({ $ref: `argo#/definitions/io.argoproj.workflow.v1alpha1.${kind}` });
}

describe('mlops export kfp and argo, against the engines’ published definitions', () => {
  let argoWorkflow: ReturnType<typeof strictArgoValidator>;
  before(() => {
    argoWorkflow = strictArgoValidator('Workflow');
  });

  it('writes samples/churn as a PipelineSpec that KFP’s proto parses with no unknown field, wired task by task', () => {
    const { doc, text, stderr } = exported(['kfp', CHURN]);
    assert.equal(kfpVerdict(doc), 'ok');
    assert.match(text, /^# Kubeflow Pipelines v2 IR/);
    assert.equal(doc.schemaVersion, '2.1.0');
    assert.match(doc.sdkVersion, /^mlops-workbench-/);
    assert.equal(doc.pipelineInfo.name, 'customer-churn');
    assert.deepEqual(doc.root.inputDefinitions.parameters.epochs, { parameterType: 'NUMBER_INTEGER', defaultValue: 300, isOptional: true });
    assert.equal(doc.root.inputDefinitions.parameters.input_data.parameterType, 'STRING');
    const tasks = doc.root.dag.tasks as Json;
    assert.deepEqual(Object.keys(tasks), ['training-set', 'preprocess', 'train', 'evaluate']);
    assert.deepEqual(tasks.preprocess.inputs.artifacts.training_set_training, {
      taskOutputArtifact: { producerTask: 'training-set', outputArtifactKey: 'training' },
    });
    assert.deepEqual(tasks.evaluate.inputs.artifacts, {
      train_model: { taskOutputArtifact: { producerTask: 'train', outputArtifactKey: 'model' } },
      preprocess_test: { taskOutputArtifact: { producerTask: 'preprocess', outputArtifactKey: 'test' } },
    });
    assert.deepEqual(tasks.evaluate.dependentTasks, ['preprocess', 'train']);
    assert.deepEqual(tasks.train.inputs.parameters, {
      epochs: { componentInputParameter: 'epochs' },
      learning_rate: { componentInputParameter: 'learning_rate' },
    });
    assert.equal(doc.components['comp-train'].outputDefinitions.artifacts.model.artifactType.schemaTitle, 'system.Model');
    assert.equal(doc.components['comp-evaluate'].outputDefinitions.artifacts.metrics.artifactType.schemaTitle, 'system.Metrics');
    const train = doc.deploymentSpec.executors['exec-train'].container;
    assert.equal(train.image, 'python:3.11-slim');
    assert.deepEqual(train.command.slice(0, 2), ['sh', '-c']);
    assert.equal(train.command[2], 'python3 steps/train.py --train "${1}" --model "${2}" --epochs "${3}" --lr "${4}"');
    assert.deepEqual(train.args, [
      "{{$.inputs.artifacts['preprocess_train'].path}}",
      "{{$.outputs.artifacts['model'].path}}",
      "{{$.inputs.parameters['epochs']}}",
      "{{$.inputs.parameters['learning_rate']}}",
    ]);
    assert.match(stderr, /step train: timeout 600s has no place in KFP's IR/);
  });

  it('carries every feature into the IR: param types and literals, fan-out and fan-in, needs alone, retries, env, resources, images', () => {
    const { doc } = exported(['kfp', EVERY, '--param', 'rows=5000']);
    assert.equal(kfpVerdict(doc), 'ok');
    const params = doc.root.inputDefinitions.parameters as Json;
    assert.deepEqual(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, (v as Json).parameterType])), {
      rows: 'NUMBER_INTEGER',
      ratio: 'NUMBER_DOUBLE',
      verbose: 'BOOLEAN',
      mode: 'STRING',
      source: 'STRING',
      label: 'STRING',
    });
    assert.equal(params.rows.defaultValue, 5000, '--param overrides the default');
    assert.equal(params.rows.description, 'Rows to fetch');
    assert.deepEqual(params.mode.literals, ['fast', 'slow']);
    assert.deepEqual(params.label, { parameterType: 'STRING' }, 'no default: required');
    const tasks = doc.root.dag.tasks as Json;
    for (const split of ['split-a', 'split-b'])
      assert.deepEqual(tasks[split].inputs.artifacts.fetch_raw.taskOutputArtifact, { producerTask: 'fetch', outputArtifactKey: 'raw' });
    assert.deepEqual(tasks.train.dependentTasks, ['split-a', 'split-b']);
    assert.deepEqual(Object.keys(tasks.train.inputs.artifacts), ['split_a_part', 'split_b_part']);
    assert.deepEqual(tasks.publish.dependentTasks, ['train']);
    assert.deepEqual(
      tasks.publish.inputs,
      { parameters: { mode: { componentInputParameter: 'mode' } } },
      'needs without a data edge: dependentTasks, no artifact (the param is the env MODE of every step)',
    );
    assert.deepEqual(tasks.fetch.retryPolicy, { maxRetryCount: 2 });
    assert.deepEqual(tasks.train.cachingOptions, {});
    const executors = doc.deploymentSpec.executors as Json;
    assert.equal(executors['exec-split-a'].container.image, 'registry.example.com/ml/split:2.0');
    assert.equal(executors['exec-fetch'].container.image, 'registry.example.com/ml/base:1.4');
    assert.deepEqual(executors['exec-split-a'].container.resources, {
      resourceCpuRequest: '500m',
      resourceCpuLimit: '2',
      resourceMemoryRequest: '1Gi',
      resourceMemoryLimit: '4Gi',
    });
    assert.deepEqual(executors['exec-train'].container.resources, { accelerator: { resourceType: 'nvidia.com/gpu', resourceCount: '1' } });
    const splitB = executors['exec-split-b'].container;
    assert.match(splitB.command[2], /^export MODE="\$\{\d\}"\nexport SEED="7"\nexport LABEL_COLUMN="label-\$\{\d\}"\npython3 split.py/);
    assert.deepEqual(executors['exec-fetch'].container.env, [{ name: 'PYTHONUNBUFFERED', value: '1' }]);
    assert.match(executors['exec-train'].container.command[2], /--run "\$\{\d\}"$/);
    assert.ok(executors['exec-train'].container.args.includes('{{$.pipeline_job_uuid}}'));
    assert.equal(executors['exec-publish'].container.command[2], 'cd tools || exit\nexport MODE="${1}"\nsh publish.sh every_feature');
  });

  it('writes samples/churn and the every-feature pipeline as Argo Workflows that the schema accepts with no unknown field', () => {
    for (const file of [CHURN, EVERY]) {
      const { doc } = exported(['argo', file, '--source', 'https://example.com/acme/ml.git#v1']);
      assert.ok(argoWorkflow(doc), JSON.stringify(argoWorkflow.errors?.slice(0, 3)));
    }
    const { doc } = exported(['argo', EVERY, '--param', 'label=churned']);
    assert.ok(argoWorkflow(doc), JSON.stringify(argoWorkflow.errors?.slice(0, 3)));
    assert.equal(doc.kind, 'Workflow');
    assert.equal(doc.metadata.generateName, 'every-feature-');
    assert.equal(doc.spec.entrypoint, 'every-feature');
    assert.deepEqual(
      doc.spec.arguments.parameters.find((p: Json) => p.name === 'mode'),
      { name: 'mode', value: 'fast', enum: ['fast', 'slow'] },
    );
    assert.equal(doc.spec.arguments.parameters.find((p: Json) => p.name === 'label').value, 'churned');
    assert.equal(doc.spec.volumeClaimTemplates[0].metadata.name, 'workspace');
    const dag = doc.spec.templates[0].dag.tasks as Json[];
    const deps = Object.fromEntries(dag.map((t) => [t.name, t.dependencies ?? []]));
    assert.deepEqual(deps, { fetch: [], 'split-a': ['fetch'], 'split-b': ['fetch'], train: ['split-a', 'split-b'], publish: ['train'] });
    const template = (name: string) => (doc.spec.templates as Json[]).find((t) => t.name === name)!;
    assert.deepEqual(template('fetch').retryStrategy, { limit: '2' }, "Argo's schema has IntOrString as a string");
    assert.equal(template('train').activeDeadlineSeconds, '5400');
    assert.deepEqual(template('train').container.resources, { limits: { 'nvidia.com/gpu': '1' } });
    assert.deepEqual(template('split-a').container.resources, {
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    });
    // On the shared volume outputs are files at their relative paths, as in a local run.
    const train = template('train').container;
    assert.equal(train.workingDir, '/workspace');
    assert.deepEqual(train.volumeMounts, [{ name: 'workspace', mountPath: '/workspace' }]);
    assert.match(
      train.command[2],
      /^mkdir -p 'models' 'reports' \|\| exit\nexport MODE="\$\{1\}"\npython3 train\.py --a data\/a\.csv --b data\/b\.csv --label "\$\{2\}"/,
    );
    assert.deepEqual(train.args, ['{{workflow.parameters.mode}}', '{{workflow.parameters.label}}', '{{workflow.uid}}']);

    const churn = exported(['argo', CHURN, '--template', '--source', 'https://example.com/acme/ml.git#v1']).doc;
    assert.ok(strictArgoValidator('WorkflowTemplate')(churn));
    assert.equal(churn.metadata.name, 'customer-churn');
    const checkout = (churn.spec.templates as Json[]).find((t) => t.name === 'mlops-checkout')!;
    assert.deepEqual(checkout.container.args, ['https://example.com/acme/ml.git', '/workspace/src', 'v1']);
    assert.equal((churn.spec.templates as Json[]).find((t) => t.name === 'train')!.container.workingDir, '/workspace/src/samples/churn');
  });

  it('catches what the engines would reject, before they do: the proto and the schema are not lax', () => {
    const { doc } = exported(['kfp', CHURN]);
    doc.deploymentSpec.executors['exec-train'].container.workingDir = '/x';
    assert.match(kfpVerdict(doc), /has no field named "workingDir"/);
    const argo = exported(['argo', CHURN]).doc;
    argo.spec.templates[1].retries = 2;
    assert.equal(argoWorkflow(argo), false);
  });

  describe('values reach the program as data, never as shell syntax, as in a local run', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'mlops-export-quote-'));
      writeFileSync(
        path.join(dir, 'quote.pipeline.yaml'),
        [
          'pipeline: quoting',
          'image: busybox',
          'params:',
          '  name: { type: string, default: x }',
          'steps:',
          '  say:',
          "    run: printf '[%s]' ${{ params.name }} plain > ${{ outputs.said }}",
          '    outputs: { said: said.txt }',
          '',
        ].join('\n'),
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const HOSTILE = 'a b; touch pwned; echo $HOME `id` "q"';
    /** Runs a container's argv as the engine does once it filled in the placeholders: no shell of ours around it. */
    const runContainer = (container: Json, fill: Record<string, string>) => {
      const argv: string[] = [...container.command, ...(container.args ?? [])].map((a: string) => fill[a] ?? a);
      const r = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };

    it('in the KFP executor', () => {
      const { doc } = exported(['kfp', path.join(dir, 'quote.pipeline.yaml')]);
      runContainer(doc.deploymentSpec.executors['exec-say'].container, {
        "{{$.inputs.parameters['name']}}": HOSTILE,
        "{{$.outputs.artifacts['said'].path}}": path.join(dir, 'kfp.txt'),
      });
      assert.equal(readFileSync(path.join(dir, 'kfp.txt'), 'utf8'), `[${HOSTILE}][plain]`);
      assert.equal(existsSync(path.join(dir, 'pwned')), false);
    });

    it('in the Argo container', () => {
      const { doc } = exported(['argo', path.join(dir, 'quote.pipeline.yaml')]);
      runContainer((doc.spec.templates as Json[]).find((t) => t.name === 'say')!.container, { '{{workflow.parameters.name}}': HOSTILE });
      assert.equal(readFileSync(path.join(dir, 'said.txt'), 'utf8'), `[${HOSTILE}][plain]`);
      assert.equal(existsSync(path.join(dir, 'pwned')), false);
    });
  });

  it('refuses with the reason: steps without an image (all named), a bad --param, an invalid pipeline', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-export-bad-'));
    try {
      writeFileSync(
        path.join(dir, 'bare.pipeline.yaml'),
        'pipeline: bare\nsteps:\n  a:\n    run: echo a\n  b:\n    run: echo b\n    image: busybox\n  c:\n    run: echo c\n',
      );
      const noImage = mlops(['export', 'kfp', 'bare.pipeline.yaml'], dir);
      assert.equal(noImage.code, 1);
      assert.match(noImage.stderr, /no container image for steps a, c: set `image` on each, or a top-level `image` for every step/);
      assert.equal(noImage.stdout, '');
      const argo = mlops(['export', 'argo', 'bare.pipeline.yaml'], dir);
      assert.equal(argo.code, 1);
      assert.match(argo.stderr, /steps a, c/);

      const badParam = mlops(['export', 'kfp', CHURN, '--param', 'epochs=many'], dir);
      assert.equal(badParam.code, 2);
      assert.match(badParam.stderr, /epochs must be an integer, got "many"/);
      const unknown = mlops(['export', 'argo', CHURN, '--param', 'epoch=3'], dir);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown param epoch; the pipeline declares input_data, test_size, epochs, learning_rate/);

      writeFileSync(
        path.join(dir, 'broken.pipeline.yaml'),
        'pipeline: broken\nimage: busybox\nsteps:\n  a:\n    run: echo ${{ steps.nope.outputs.x }}\n',
      );
      const broken = mlops(['export', 'kfp', 'broken.pipeline.yaml', '-o', 'out.yaml'], dir);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /broken\.pipeline\.yaml:5:\d+ unknown-step/);
      assert.equal(existsSync(path.join(dir, 'out.yaml')), false);

      const written = mlops(['export', 'kfp', CHURN, '-o', 'out/churn.kfp.yaml'], dir);
      assert.equal(written.code, 0, written.stderr);
      assert.match(written.stderr, /the PipelineSpec written to out\/churn\.kfp\.yaml/);
      assert.equal((parse(readFileSync(path.join(dir, 'out/churn.kfp.yaml'), 'utf8')) as Json).schemaVersion, '2.1.0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

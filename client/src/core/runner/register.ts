import { cp, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errorMessage } from '../../../../common/src/errors';
import { evaluateCondition } from '../../../../common/src/expressions';
import type { ArtifactTransfer } from '../tracking/remote/artifacts';
import type { ModelVersion } from '../tracking/repository';
import { MlflowError } from '../tracking/repository/errors';
import { outputsDigest } from './outputsDigest';
import type { RegisterPlan } from './plan';
import type { RunRecorder } from './recorder';
import { resolverFor, resolveText, type Scope } from './scope';
import { formatMetric } from './summary';
import type { RegisteredVersion } from './types';

export interface RegisterContext {
  readonly scope: Scope;
  readonly recorder: RunRecorder;
  /** The run's latest metrics, which `when` is evaluated against. */
  readonly metrics: Readonly<Record<string, number>>;
  /** A team's server: the model is uploaded under the run's `model/` and registered from `runs:/<run>/model`. */
  readonly remote?: ArtifactTransfer;
}

/**
 * The `register` block after a successful run: evaluate `when` against the
 * run's metrics; when it holds, copy the `from` artifact into the run's
 * artifacts (`model/`), register a version whose source is that copy, and
 * set its stage and alias. Never throws: a reason comes back instead.
 */
export async function registerModel(
  plan: RegisterPlan,
  ctx: RegisterContext,
): Promise<{ version: RegisteredVersion } | { skipped: string }> {
  const metrics = ctx.metrics;
  const scope: Scope = { ...ctx.scope, metrics };
  if (plan.when !== undefined) {
    let passed: boolean;
    try {
      passed = evaluateCondition(plan.when, resolverFor(scope));
    } catch (error) {
      return { skipped: `the gate ${gateText(plan.when)} could not be evaluated: ${errorMessage(error)}` };
    }
    if (!passed) return { skipped: `the gate ${gateText(plan.when)} is false (${describe(metrics)})` };
  }

  let source: string;
  let digest: string | undefined;
  try {
    const from = resolveText(scope, plan.from);
    const file = path.resolve(scope.plan.folder, from);
    const info = await stat(file).catch(() => undefined);
    if (!info) return { skipped: `register.from ${from} does not exist` };
    digest = await outputsDigest([file]);
    const same = await latestVersionHolding(ctx.recorder.api, plan.model, digest);
    if (same)
      return {
        skipped: `version ${same.version} of ${plan.model} already holds this model (registered from run ${same.run_id ?? 'unknown'})`,
      };
    const target = info.isDirectory()
      ? path.join(ctx.recorder.artifactDir, 'model')
      : path.join(ctx.recorder.artifactDir, 'model', path.basename(file));
    await cp(file, target, { recursive: true, force: true });
    source = pathToFileURL(target).toString();
  } catch (error) {
    return { skipped: `could not copy the model into the run's artifacts: ${errorMessage(error)}` };
  }
  if (ctx.remote) {
    try {
      await ctx.remote.uploadFolder(ctx.recorder.artifactUri, 'model', path.join(ctx.recorder.artifactDir, 'model'));
      source = `runs:/${ctx.recorder.runId}/model`;
    } catch (error) {
      return { skipped: `could not upload the model to the tracking server: ${errorMessage(error)}` };
    }
  }

  const api = ctx.recorder.api;
  try {
    try {
      await api.createRegisteredModel({ name: plan.model });
    } catch (error) {
      if (!(error instanceof MlflowError && error.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw error;
    }
    const { model_version } = await api.createModelVersion({
      name: plan.model,
      source,
      run_id: ctx.recorder.runId,
      ...(digest ? { tags: [{ key: MODEL_DIGEST_TAG, value: digest }] } : {}),
    });
    let stage: string | undefined;
    if (plan.stage && plan.stage !== 'None') {
      stage = (
        await api.transitionModelVersionStage({
          name: plan.model,
          version: model_version.version,
          stage: plan.stage,
          archive_existing_versions: false,
        })
      ).model_version.current_stage;
    }
    if (plan.alias) await api.setRegisteredModelAlias({ name: plan.model, alias: plan.alias, version: model_version.version });
    return {
      version: {
        model: plan.model,
        version: model_version.version,
        source,
        ...(stage ? { stage } : {}),
        ...(plan.alias ? { alias: plan.alias } : {}),
      },
    };
  } catch (error) {
    return { skipped: `registering ${plan.model} failed: ${errorMessage(error)}` };
  }
}

/** A model version's tag: sha256 of the registered files, so a rerun can tell the same model without reading it back. */
const MODEL_DIGEST_TAG = 'mlops.model_digest';

/**
 * The newest version of `model` when it holds exactly the bytes of the
 * file whose digest is given (its tag says so, or its local source has the
 * same digest): a rerun whose steps were all cached must not pile up
 * identical versions.
 */
async function latestVersionHolding(api: RunRecorder['api'], model: string, digest: string | undefined): Promise<ModelVersion | undefined> {
  if (digest === undefined) return undefined;
  let versions: ModelVersion[];
  try {
    versions = (await api.searchModelVersions({ filter: `name = '${model.replace(/'/g, "''")}'`, max_results: 1000 })).model_versions;
  } catch {
    return undefined;
  }
  const latest = versions.sort((a, b) => Number(b.version) - Number(a.version))[0];
  if (!latest) return undefined;
  const tagged = latest.tags?.find((t) => t.key === MODEL_DIGEST_TAG)?.value;
  if (tagged !== undefined) return tagged === digest ? latest : undefined;
  if (!latest.source.startsWith('file:')) return undefined;
  return (await outputsDigest([fileURLToPath(latest.source)])) === digest ? latest : undefined;
}

function gateText(when: string): string {
  return `\`${when.replace(/^\s*\$\{\{\s*|\s*\}\}\s*$/g, '')}\``;
}

function describe(metrics: Readonly<Record<string, number>>): string {
  const entries = Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return 'the run logged no metrics';
  return entries.map(([k, v]) => `${k} = ${formatMetric(v)}`).join(', ');
}

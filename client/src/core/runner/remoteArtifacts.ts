import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../../../../common/src/errors';
import type { ArtifactTransfer } from '../tracking/remote/artifacts';
import type { PipelinePlan } from './plan';
import type { RunRecorder } from './recorder';
import { outputPath } from './scope';
import type { RunListener, StepSummary } from './types';

/** Declared outputs larger than this stay on the machine that ran the step (a warning says so). */
const MAX_OUTPUT_BYTES = 100 * 1024 * 1024;

/**
 * After a run on a team's server: each step's log (`logs/<step>.log`) and declared outputs
 * (`outputs/<name>/...`) go to its nested run, and what the steps wrote to the staged run folder
 * (MLOPS_RUN_DIR, `model/` included) goes to the pipeline's run. A failed upload is a warning,
 * never a failed run: the files stay in `.mlops/runs/<run>/`.
 */
export async function uploadRunArtifacts(ctx: {
  recorder: RunRecorder;
  plan: PipelinePlan;
  summaries: readonly StepSummary[];
  artifacts: ArtifactTransfer;
  emit: RunListener;
  /** `model/` was uploaded when the model was registered. */
  modelUploaded: boolean;
}): Promise<void> {
  const { recorder, artifacts, emit } = ctx;
  const warn = (message: string, step?: string) => emit({ type: 'warning', message, ...(step ? { step } : {}) });
  let nested;
  try {
    nested = await recorder.nestedRuns();
  } catch (error) {
    warn(`could not find the steps' runs on the tracking server, so their logs and outputs were not uploaded: ${errorMessage(error)}`);
    nested = new Map();
  }
  for (const summary of ctx.summaries) {
    const run = nested.get(summary.step);
    const step = ctx.plan.byId.get(summary.step);
    if (!run || !step || summary.attempts === 0) continue;
    const uri = run.info.artifact_uri;
    try {
      if (summary.logPath && existsSync(summary.logPath))
        await artifacts.upload(uri, `logs/${summary.step}.log`, await fs.readFile(summary.logPath));
      for (const output of step.outputs) {
        const file = outputPath(step, output.name);
        const info = file ? await fs.stat(file).catch(() => undefined) : undefined;
        if (!file || !info) continue;
        if (info.isDirectory()) await artifacts.uploadFolder(uri, `outputs/${output.name}`, file);
        else if (info.size > MAX_OUTPUT_BYTES)
          warn(`output ${output.name} (${(info.size / 1048576).toFixed(0)} MB) is too large to upload; it stays at ${file}`, summary.step);
        else await artifacts.upload(uri, `outputs/${output.name}/${path.basename(file)}`, await fs.readFile(file));
      }
    } catch (error) {
      warn(`could not upload the log and outputs to the tracking server: ${errorMessage(error)}`, summary.step);
    }
  }
  if (!existsSync(recorder.artifactDir)) return;
  try {
    for (const entry of await fs.readdir(recorder.artifactDir, { withFileTypes: true })) {
      if (ctx.modelUploaded && entry.name === 'model' && entry.isDirectory()) continue;
      const full = path.join(recorder.artifactDir, entry.name);
      if (entry.isDirectory()) await artifacts.uploadFolder(recorder.artifactUri, entry.name, full);
      else if (entry.isFile()) await artifacts.upload(recorder.artifactUri, entry.name, await fs.readFile(full));
    }
  } catch (error) {
    warn(`could not upload the run's artifacts to the tracking server: ${errorMessage(error)}; they stay in ${recorder.artifactDir}`);
  }
}

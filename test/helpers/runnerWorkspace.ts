import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runPipeline, type RunEvent, type RunRequest, type RunResult } from '../../client/src/core/runner';
import type { TrackingApi } from '../../client/src/core/tracking/repository';
import { openTrackingStore, type TrackingStore } from '../../client/src/core/tracking/store';
import { type tempWorkspace } from './trackingFiles';

/** A scratch workspace with a real tracking store on disk, for driving the runner. */
export class RunnerWorkspace {
  private constructor(
    readonly dir: string,
    readonly store: TrackingStore,
  ) {}

  static async open(dirs: ReturnType<typeof tempWorkspace>['dirs']): Promise<RunnerWorkspace> {
    const dir = dirs();
    const store = await openTrackingStore({ workspaceDir: dir, inProcess: true });
    return new RunnerWorkspace(dir, store);
  }

  get api(): TrackingApi {
    return this.store.api;
  }

  write(relative: string, text: string): string {
    const file = path.join(this.dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  /** Writes `yaml` as `<name>.pipeline.yaml` and runs it, collecting every event. */
  async run(yaml: string, options: Partial<RunRequest> = {}, name = 'test'): Promise<{ result: RunResult; events: RunEvent[] }> {
    const file = this.write(`${name}.pipeline.yaml`, yaml);
    const events: RunEvent[] = [];
    const result = await runPipeline(
      {
        pipelineFile: file,
        workspaceDir: this.dir,
        tracking: { api: this.api, url: 'http://127.0.0.1:9/', token: 'test-token' },
        ...options,
      },
      (e) => events.push(e),
    );
    return { result, events };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** The step summary of `step`, failing the test when it is absent. */
export function stepOf(result: RunResult, step: string) {
  const found = result.steps.find((s) => s.step === step);
  if (!found) throw new Error(`no step ${step} in ${result.steps.map((s) => s.step).join(', ')}`);
  return found;
}

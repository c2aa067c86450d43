import { writeSync } from 'node:fs';

// A test hook for the chaos test (test/integration/trackingChaos.test.ts): with
// MLOPS_TRACKING_PAUSE_AT=<point>:<n>, the engine stops at the n-th time it reaches <point>, says so on
// stderr ("mlops-paused <point>") and waits there, so that the test's SIGKILL lands exactly there.
// Unset (always, outside that test), every check is one comparison.

export type FaultPoint = 'append' | 'sync' | 'seal' | 'image' | 'rename';

const PAUSE_MS = 60_000;
const [pausePoint, pauseAfter] = parse(process.env.MLOPS_TRACKING_PAUSE_AT);
let reached = 0;

function parse(spec: string | undefined): [string | undefined, number] {
  const match = /^(\w+):(\d+)$/.exec(spec ?? '');
  return match ? [match[1], Number(match[2])] : [undefined, 0];
}

/** Whether this is the time to stop at `point` (counts each arrival). */
export function isPausePoint(point: FaultPoint): boolean {
  return pausePoint === point && ++reached === pauseAfter;
}

/** Announces the stop on stderr (synchronously, from any thread) and blocks this thread. */
export function holdHere(point: FaultPoint): void {
  writeSync(2, `mlops-paused ${point}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PAUSE_MS);
}

/** Stops here if this is the chosen arrival at `point`. */
export function pauseAt(point: FaultPoint): void {
  if (isPausePoint(point)) holdHere(point);
}

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CEILING_IMAGE_BYTES, CEILING_POINTS, ceilingVerdict } from '../../client/src/core/tracking/storeCeiling';
import { readImage } from '../../client/src/core/tracking/engine/sqlite';
import { openTrackingStore } from '../../client/src/core/tracking/store';
import { storeLabel } from '../../client/src/ui/storeLabel';
import { memoryRepository } from '../helpers/restStore';

const MiB = 1024 * 1024;

describe('the workspace store ceiling (storeCeiling) and the status bar', () => {
  it('says nothing well below the ceiling, how close from 80% on, and recommends a server past it', () => {
    assert.deepEqual(ceilingVerdict({ metricPoints: 1_000_000, imageBytes: 40 * MiB }), { level: 'ok', message: '' });
    const near = ceilingVerdict({ metricPoints: CEILING_POINTS * 0.85, imageBytes: 40 * MiB });
    assert.equal(near.level, 'near');
    assert.match(near.message, /85% of its ceiling/);
    const over = ceilingVerdict({ metricPoints: CEILING_POINTS + 1, imageBytes: 40 * MiB });
    assert.equal(over.level, 'over');
    assert.match(over.message, /past its ceiling.*tracking server/);
    assert.equal(ceilingVerdict({ metricPoints: CEILING_POINTS, imageBytes: 0 }).level, 'near', 'at the ceiling is not past it');
  });

  it('counts the image too: few points with a large image (params, tags, long keys) are past it', () => {
    assert.equal(ceilingVerdict({ metricPoints: 10, imageBytes: CEILING_IMAGE_BYTES + 1 }).level, 'over');
    assert.equal(ceilingVerdict({ metricPoints: 10, imageBytes: CEILING_IMAGE_BYTES * 0.9 }).level, 'near');
  });

  it('takes the points ceiling from the setting (mlops.tracking.ceilingPoints), and ignores a value that is none', () => {
    const over = ceilingVerdict({ metricPoints: 1500, imageBytes: 40 * MiB }, 1000);
    assert.equal(over.level, 'over');
    assert.match(over.message, /holds 1,500 metric points \(40 MiB\), past its ceiling of 1,000 points/);
    assert.equal(ceilingVerdict({ metricPoints: 850, imageBytes: 0 }, 1000).level, 'near');
    assert.equal(ceilingVerdict({ metricPoints: 1500, imageBytes: 0 }, 2_000_000).level, 'ok');
    assert.equal(ceilingVerdict({ metricPoints: 1500, imageBytes: 0 }, Number.NaN).level, 'ok', 'NaN falls back to the default');
    assert.equal(ceilingVerdict({ metricPoints: 1500, imageBytes: 0 }, 0).level, 'ok', '0 falls back to the default');
  });

  it('shows a warning item past the ceiling, the note in the tooltip when near, nothing extra below', () => {
    const url = 'http://127.0.0.1:5123';
    const over = storeLabel({ kind: 'workspace', role: 'owner', url, ceiling: ceilingVerdict({ metricPoints: 3e7, imageBytes: 0 }) });
    assert.equal(over.text, '$(warning) Tracking: workspace');
    assert.equal(over.warning, true);
    assert.match(over.tooltip, /holds 30 million metric points.*Log to a tracking server \(MLflow\) instead\.\nClick to switch stores\.$/);
    const near = storeLabel({
      kind: 'workspace',
      role: 'owner',
      url,
      ceiling: ceilingVerdict({ metricPoints: CEILING_POINTS * 0.9, imageBytes: 0 }),
    });
    assert.equal(near.text, '$(database) Tracking: workspace');
    assert.equal(near.warning, undefined);
    assert.match(near.tooltip, /90% of its ceiling/);
    const fine = storeLabel({ kind: 'workspace', role: 'owner', url, ceiling: ceilingVerdict({ metricPoints: 5, imageBytes: 4096 }) });
    assert.deepEqual(fine, storeLabel({ kind: 'workspace', role: 'owner', url }));
  });

  it('reads the size from the store: drawable points, the image bytes, the runs', async () => {
    const { repo } = await memoryRepository();
    const empty = repo.getStoreSize({});
    assert.equal(empty.metricPoints, 0);
    assert.equal(empty.runs, 0);
    assert.equal(empty.wasmHeapBytes, undefined, 'a bare repository does not know its host');
    for (let r = 0; r < 3; r++) {
      const { run } = repo.createRun({ experiment_id: '0', start_time: 1 });
      const metrics = Array.from({ length: 1000 }, (_, i) => ({
        key: `k${i % 4}`,
        value: i % 100 === 0 ? ('NaN' as const) : i,
        timestamp: i,
        step: i,
      }));
      repo.logBatch({ run_id: run.info.run_id, metrics });
    }
    const size = repo.getStoreSize({});
    assert.equal(size.metricPoints, 3 * 990, 'NaN points are not drawable');
    assert.equal(size.runs, 3);
    assert.ok(size.imageBytes > empty.imageBytes && size.imageBytes % 1024 === 0, `image of ${size.imageBytes} bytes`);
  });

  it('reports the wasm heap of the worker hosting the store', async () => {
    // (In process the engine shares this process's sql.js, which the helper above loaded first: the heap is then unknown.)
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-ceiling-'));
    try {
      const store = await openTrackingStore({ workspaceDir: dir });
      const size = await store.api.getStoreSize({});
      await store.close();
      assert.ok((size.wasmHeapBytes ?? 0) >= 16 * MiB, `${size.wasmHeapBytes} bytes`);
      assert.equal(size.runs, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a saved image whole without readFileSync (which refuses files past 2 GiB)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-ceiling-'));
    try {
      const file = path.join(dir, 'image');
      const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);
      writeFileSync(file, bytes);
      assert.deepEqual(readImage(file), new Uint8Array(readFileSync(file)));
      writeFileSync(file, new Uint8Array(0));
      assert.equal(readImage(file).length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

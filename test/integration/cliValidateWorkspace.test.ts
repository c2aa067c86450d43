import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { mlops, ROOT } from '../helpers/cli';

const FIXTURE = path.join(ROOT, 'test/fixtures/features-workspace');

describe('mlops validate across features and monitor files (the built bin)', () => {
  it("resolves entities, sources, views and the monitor's pipeline among the files checked together", () => {
    const r = mlops(['validate', FIXTURE]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '4 files checked: 0 errors, 0 warnings\n');
  });

  it('reports what a rename in one file breaks in the others, and columns missing from the data', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-cli-ws-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      const entities = path.join(dir, 'entities.features.yaml');
      writeFileSync(
        entities,
        readFileSync(entities, 'utf8')
          .replace('name: customer\n', 'name: customers\n')
          .replace('timestamp_field: event_timestamp', 'timestamp_field: event_time'),
      );
      const r = mlops(['validate', '.'], dir);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n'), [
        'entities.features.yaml:15:22 warning column-not-found `event_time` is not a column of `data/customers.csv`; did you mean `event_timestamp`?',
        'views.features.yaml:3:16 error unknown-entity no entity named `customer` in the workspace; did you mean `customers`?',
        '4 files checked: 1 error, 1 warning',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

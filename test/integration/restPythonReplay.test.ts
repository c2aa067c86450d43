import { after, before, describe, it } from 'node:test';
import { loadSequence, replay } from '../helpers/restReplay';
import { startTestServer } from '../helpers/restStore';

// What MLflow's Python client sends for the seed's calls, request for request
// (test/fixtures/mlflow-python/README.md), against the real server.
describe('REST endpoint: replay of the Python client', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const vars: Record<string, string> = {};
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  for (const { file, call } of loadSequence()) {
    it(`${file}: ${call.call}`, async () => {
      for (const request of call.requests) await replay(server.url, server.token, request, vars);
    });
  }
});

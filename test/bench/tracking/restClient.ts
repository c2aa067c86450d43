// The REST benchmark's clients, in their own thread (as pipeline steps are other processes), so the
// thread serving the endpoint does only what the extension host would: serve and talk to the store.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { BATCHES, batch } from './workload';

export interface RestClientJob {
  url: string;
  token: string;
  runId: string;
  clients: number;
}

export interface RestClientResult {
  ms: number;
  latencies: Float64Array;
}

function post(agent: Agent, url: URL, token: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(new Error(`log-batch answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(job: RestClientJob): Promise<RestClientResult> {
  const url = new URL('/api/2.0/mlflow/runs/log-batch', job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.clients });
  const latencies = new Float64Array(BATCHES);
  let next = 0;
  const client = async () => {
    for (let b = next++; b < BATCHES; b = next++) {
      const body = JSON.stringify({ run_id: job.runId, metrics: batch(b) });
      const sent = performance.now();
      await post(agent, url, job.token, body);
      latencies[b] = performance.now() - sent;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.clients }, client));
  const ms = performance.now() - started;
  agent.destroy();
  return { ms, latencies };
}

if (parentPort) {
  const port = parentPort;
  run(workerData as RestClientJob).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ error: String(error) }),
  );
}
